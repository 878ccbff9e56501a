package io.fnwatch.ingest.cloudwatch;

import io.fnwatch.detect.Runtimes;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Json;
import io.fnwatch.parse.CloudWatchEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;

/**
 * Inventory entries for functions the inventory does not know yet: when their log group last received an event
 * (DescribeLogStreams, newest stream first) and, when enabled, their runtime and last change (ListFunctions).
 * Dormant and outdated functions are then listed from the first day, before they log anything. Entries the
 * service already wrote are never overwritten: its own view is newer.
 */
final class InventorySeeder {

    private static final String LAMBDA_PREFIX = "/aws/lambda/";

    private final CloudWatchLogsClient logs;
    private final LambdaClient lambda;
    private final RequestGate gate;
    private final String topic;

    /** @param lambda null when ListFunctions is not enabled */
    InventorySeeder(CloudWatchLogsClient logs, LambdaClient lambda, RequestGate gate, String topic) {
        this.logs = logs;
        this.lambda = lambda;
        this.gate = gate;
        this.topic = topic;
    }

    List<ProducerRecord<String, byte[]>> seeds(CloudWatchSource source, List<LogGroups.Group> groups, Set<String> known)
            throws InterruptedException {
        Map<String, FunctionConfiguration> functions = null;
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        for (LogGroups.Group g : groups) {
            boolean lambdaGroup = g.name().startsWith(LAMBDA_PREFIX);
            if (!lambdaGroup && functions == null) {
                functions = functions(source);
            }
            LogStream newest = null;
            boolean fetched = false;
            List<String> names =
                    lambdaGroup ? List.of(g.name().substring(LAMBDA_PREFIX.length())) : loggingTo(g, functions);
            if (names.isEmpty()) {
                // a custom group ListFunctions did not explain: named as its events will name it, by its newest stream
                newest = newestStream(source, g);
                fetched = true;
                names = List.of(CloudWatchEvents.functionOf(g.name(), newest == null ? null : newest.logStreamName()));
            }
            for (String function : names) {
                FunctionKey key = new FunctionKey(source.tenant(), "aws", g.account(), source.region(), function);
                if (known.contains(key.asString())) {
                    continue;
                }
                if (functions == null) {
                    functions = functions(source);
                }
                if (!fetched) {
                    newest = newestStream(source, g);
                    fetched = true;
                }
                out.add(new ProducerRecord<>(
                        topic,
                        key.asString(),
                        Json.bytes(entry(key, g, lastEvent(g, newest, function), functions.get(function)))));
            }
        }
        return out;
    }

    /**
     * Functions whose {@code LoggingConfig.LogGroup} is this custom group (many may share one; empty when
     * ListFunctions is not enabled): each is its own function, as its events will be (named by their stream).
     */
    private static List<String> loggingTo(LogGroups.Group g, Map<String, FunctionConfiguration> functions) {
        return functions.values().stream()
                .filter(f -> f.loggingConfig() != null
                        && g.name().equals(f.loggingConfig().logGroup()))
                .map(FunctionConfiguration::functionName)
                .sorted()
                .toList();
    }

    /**
     * The group's last event is the function's only when the group is the function's own, or when its newest
     * stream is that function's; a quiet function in a busy shared group must not look recently invoked.
     */
    private static Long lastEvent(LogGroups.Group g, LogStream newest, String function) {
        if (newest == null) {
            return null;
        }
        boolean own = g.name().startsWith(LAMBDA_PREFIX)
                || function.equals(CloudWatchEvents.functionOf(g.name(), newest.logStreamName()));
        return own ? newest.lastEventTimestamp() : null;
    }

    private LogStream newestStream(CloudWatchSource source, LogGroups.Group g) throws InterruptedException {
        var streams = gate.call(
                        source.rateKey(),
                        "DescribeLogStreams",
                        () -> logs.describeLogStreams(b -> b.logGroupName(g.name())
                                .orderBy(OrderBy.LAST_EVENT_TIME)
                                .descending(true)
                                .limit(1)))
                .logStreams();
        return streams.isEmpty() ? null : streams.get(0);
    }

    private Map<String, FunctionConfiguration> functions(CloudWatchSource source) throws InterruptedException {
        Map<String, FunctionConfiguration> out = new HashMap<>();
        String marker = null;
        while (lambda != null) {
            String page = marker;
            ListFunctionsResponse r = gate.call(
                    "lambda/" + source.rateKey(),
                    "ListFunctions",
                    () -> lambda.listFunctions(b -> b.marker(page).maxItems(50)));
            r.functions().forEach(f -> out.put(f.functionName(), f));
            marker = r.nextMarker();
            if (marker == null) {
                break;
            }
        }
        return out;
    }

    /** The inventory shape the service writes (see DetectProcessor), marked as seeded. */
    private static Map<String, Object> entry(
            FunctionKey key, LogGroups.Group g, Long lastEvent, FunctionConfiguration f) {
        Map<String, Object> m = key.fields();
        m.put("firstSeen", null);
        m.put(
                "lastInvoked",
                lastEvent == null ? null : Instant.ofEpochMilli(lastEvent).toString());
        m.put("runtime", f == null ? null : Runtimes.id("aws", f.runtimeAsString()));
        m.put("lastModified", f == null ? null : f.lastModified());
        m.put("logGroup", g.name());
        m.put("seededFrom", "cloudwatch");
        return m;
    }
}
