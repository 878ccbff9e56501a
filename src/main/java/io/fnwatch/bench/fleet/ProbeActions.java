package io.fnwatch.bench.fleet;

import java.util.List;

/** What a stolen credential is tried against first: the denied calls the generators plant as probing. */
public final class ProbeActions {

    public static final List<String> ALL = List.of(
            "iam:ListUsers",
            "s3:ListAllMyBuckets",
            "ec2:DescribeInstances",
            "kms:ListKeys",
            "secretsmanager:ListSecrets",
            "sts:GetCallerIdentity",
            "dynamodb:ListTables");

    private ProbeActions() {}
}
