package io.fnwatch.ingest.cloudwatch;

/** The STS AssumeRole answer of {@link FakeCloudWatchLogs}: fixed temporary credentials. */
final class FakeSts {

    static final String ASSUMED_ACCESS_KEY = "ASIAFAKEASSUMED";

    private FakeSts() {}

    static String assumeRoleResponse() {
        return "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                + "<Credentials><AccessKeyId>" + ASSUMED_ACCESS_KEY + "</AccessKeyId>"
                + "<SecretAccessKey>fake-secret</SecretAccessKey><SessionToken>fake-session</SessionToken>"
                + "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
                + "<AssumedRoleUser><Arn>arn:aws:sts::210987654321:assumed-role/fnwatch-reader/fnwatch-cloudwatch</Arn>"
                + "<AssumedRoleId>AROAFAKE:fnwatch-cloudwatch</AssumedRoleId></AssumedRoleUser>"
                + "</AssumeRoleResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>"
                + "</AssumeRoleResponse>";
    }
}
