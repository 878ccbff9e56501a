package io.fnwatch.ingest.cloudwatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;

/** Finds the log groups to pull: every group under the prefix, plus the ones named, each with its account. */
final class LogGroups {

    /** A log group and the account that owns it (from its ARN). */
    record Group(String name, String account) {}

    private final CloudWatchLogsClient logs;
    private final RequestGate gate;

    LogGroups(CloudWatchLogsClient logs, RequestGate gate) {
        this.logs = logs;
        this.gate = gate;
    }

    List<Group> discover(CloudWatchSource source, String prefix, List<String> named) throws InterruptedException {
        Map<String, Group> found = new LinkedHashMap<>();
        if (!prefix.isEmpty()) {
            describe(source, prefix).forEach(g -> found.put(g.name(), g));
        }
        for (String name : named) {
            describe(source, name).stream().filter(g -> g.name().equals(name)).forEach(g -> found.put(name, g));
        }
        return new ArrayList<>(found.values());
    }

    private List<Group> describe(CloudWatchSource source, String prefix) throws InterruptedException {
        List<Group> out = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            DescribeLogGroupsResponse r = gate.call(
                    source.rateKey(),
                    "DescribeLogGroups",
                    () -> logs.describeLogGroups(
                            b -> b.logGroupNamePrefix(prefix).nextToken(page).limit(50)));
            r.logGroups().forEach(g -> out.add(new Group(g.logGroupName(), account(g.arn(), source))));
            token = r.nextToken();
        } while (token != null);
        return out;
    }

    /** {@code arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*}; the configured account when there is no ARN. */
    static String account(String arn, CloudWatchSource source) {
        String[] parts = arn == null ? new String[0] : arn.split(":", 6);
        return parts.length > 4 && !parts[4].isEmpty() ? parts[4] : source.account();
    }
}
