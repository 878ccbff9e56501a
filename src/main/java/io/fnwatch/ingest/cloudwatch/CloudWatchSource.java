package io.fnwatch.ingest.cloudwatch;

/**
 * One account and region to pull, with how to reach it: the default credentials, or a role assumed with an
 * external id (so that one instance can watch several accounts). {@code account} may be null: it is then
 * learned from the log groups' ARNs.
 */
public record CloudWatchSource(String account, String tenant, String region, String roleArn, String externalId) {

    /** The name of this source's shared rate limit: CloudWatch Logs quotas are per account and region. */
    public String rateKey() {
        return (account == null ? (roleArn == null ? "default" : roleArn) : account) + "/" + region;
    }
}
