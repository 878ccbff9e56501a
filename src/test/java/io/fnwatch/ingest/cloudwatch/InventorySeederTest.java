package io.fnwatch.ingest.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.ingest.TokenBuckets;
import io.fnwatch.model.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.ListFunctionsRequest;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.LoggingConfig;

/**
 * Seeded inventory entries name functions as their events will: a custom log group shared by several functions
 * (LoggingConfig.LogGroup) seeds each of them, never the group as one phantom function.
 */
class InventorySeederTest {

    private static final CloudWatchSource SOURCE =
            new CloudWatchSource("111122223333", "acme", "eu-west-2", null, null);
    private static final long T = 1_717_000_000_000L;

    /** Newest stream of each group. */
    private final Map<String, LogStream> newest = Map.of(
            "/aws/lambda/orders-api", stream("2024/05/29/[$LATEST]ab", T),
            "/shop/shared", stream("2024/05/29/payments-api[7][0f1e]", T + 1),
            "/shop/unexplained", stream("2024/05/29/refunds-api[$LATEST][0f1e]", T + 2));

    private static LogStream stream(String name, long last) {
        return LogStream.builder().logStreamName(name).lastEventTimestamp(last).build();
    }

    private final CloudWatchLogsClient logs = new CloudWatchLogsClient() {
        @Override
        public DescribeLogStreamsResponse describeLogStreams(DescribeLogStreamsRequest r) {
            LogStream s = newest.get(r.logGroupName());
            return DescribeLogStreamsResponse.builder()
                    .logStreams(s == null ? List.of() : List.of(s))
                    .build();
        }

        @Override
        public String serviceName() {
            return "logs";
        }

        @Override
        public void close() {}
    };

    private static FunctionConfiguration function(String name, String logGroup) {
        return FunctionConfiguration.builder()
                .functionName(name)
                .runtime("python3.12")
                .loggingConfig(LoggingConfig.builder().logGroup(logGroup).build())
                .build();
    }

    private final LambdaClient lambda = new LambdaClient() {
        @Override
        public ListFunctionsResponse listFunctions(ListFunctionsRequest r) {
            return ListFunctionsResponse.builder()
                    .functions(
                            function("orders-api", "/aws/lambda/orders-api"),
                            function("payments-api", "/shop/shared"),
                            function("ledger-api", "/shop/shared"))
                    .build();
        }

        @Override
        public String serviceName() {
            return "lambda";
        }

        @Override
        public void close() {}
    };

    private static RequestGate gate() {
        return new RequestGate(
                new TokenBuckets(1000, 1000, CloudWatchFixture.manualTime()),
                new Backoff(100, 1000, () -> 0.5),
                1,
                n -> {});
    }

    private List<LogGroups.Group> groups() {
        return List.of(
                new LogGroups.Group("/aws/lambda/orders-api", "111122223333"),
                new LogGroups.Group("/shop/shared", "111122223333"),
                new LogGroups.Group("/shop/unexplained", "111122223333"));
    }

    @Test
    void shouldSeedEachFunctionOfASharedLogGroupAndNoPhantomGroupFunction() throws Exception {
        List<ProducerRecord<String, byte[]>> seeds =
                new InventorySeeder(logs, lambda, gate(), "inventory").seeds(SOURCE, groups(), Set.of());

        assertThat(seeds)
                .extracting(ProducerRecord::key)
                .containsExactly(
                        "acme/aws/111122223333/eu-west-2/orders-api",
                        "acme/aws/111122223333/eu-west-2/ledger-api",
                        "acme/aws/111122223333/eu-west-2/payments-api",
                        "acme/aws/111122223333/eu-west-2/refunds-api");
        Map<String, Object> ledger = Json.MAPPER.readValue(seeds.get(1).value(), Map.class);
        Map<String, Object> payments = Json.MAPPER.readValue(seeds.get(2).value(), Map.class);
        // the shared group's newest stream is payments-api's: a quiet ledger-api must not look invoked
        assertThat(ledger.get("lastInvoked")).isNull();
        assertThat(payments.get("lastInvoked")).isEqualTo("2024-05-29T16:26:40.001Z");
        assertThat(payments.get("logGroup")).isEqualTo("/shop/shared");
    }

    @Test
    void shouldNameACustomGroupByItsNewestStreamWithoutListFunctions() throws Exception {
        List<ProducerRecord<String, byte[]>> seeds = new InventorySeeder(logs, null, gate(), "inventory")
                .seeds(SOURCE, groups(), Set.of("acme/aws/111122223333/eu-west-2/orders-api"));

        assertThat(seeds)
                .extracting(ProducerRecord::key)
                .containsExactly(
                        "acme/aws/111122223333/eu-west-2/payments-api", "acme/aws/111122223333/eu-west-2/refunds-api");
    }
}
