package io.fnwatch.ingest.cloudwatch;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.kafka.TopicReader;
import io.github.bucket4j.TimeMeter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The real embedded broker, the fake CloudWatch Logs service, and pullers built with a manual clock and a
 * sleeper that records waits instead of sleeping. Each test has topics and a transactional id of its own.
 */
abstract class CloudWatchFixture {

    static final String ACCOUNT = "123456789012";
    static final long T0 = 1_772_546_400_000L;
    static final long MINUTE = 60_000;
    private static final AtomicInteger RUN = new AtomicInteger();

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    FakeCloudWatchLogs fake;
    FnwatchConfig config;
    final AtomicLong now = new AtomicLong(T0 + 30 * MINUTE);
    final List<Long> sleptNanos = new ArrayList<>();
    private final List<CloudWatchPuller> pullers = new ArrayList<>();

    @BeforeEach
    void startFake() throws Exception {
        fake = new FakeCloudWatchLogs();
    }

    @AfterEach
    void stop() {
        pullers.forEach(CloudWatchPuller::close);
        fake.close();
    }

    FnwatchConfig configure(Map<String, String> overrides) throws Exception {
        String run = "cw-" + RUN.incrementAndGet();
        Map<String, String> s = new HashMap<>(Map.of(
                FnwatchConfig.BOOTSTRAP_SERVERS,
                KAFKA.bootstrapServers(),
                FnwatchConfig.TOPIC_RAW,
                run + "-raw",
                FnwatchConfig.TOPIC_INVENTORY,
                run + "-inventory",
                "topic.cloudwatch.checkpoints",
                run + "-checkpoints",
                "cloudwatch.transactional.id",
                run,
                "cloudwatch.enabled",
                "true",
                "cloudwatch.region",
                "us-east-1",
                "cloudwatch.endpoint",
                fake.endpoint(),
                "cloudwatch.sts.endpoint",
                fake.endpoint()));
        s.put("cloudwatch.lambda.endpoint", fake.endpoint());
        s.put("cloudwatch.rate.per.second", "1000");
        s.put("cloudwatch.start.lookback.ms", String.valueOf(60 * MINUTE));
        s.putAll(overrides);
        config = FnwatchConfig.of(s);
        TopicAdmin.ensure(config);
        return config;
    }

    CloudWatchPuller puller(PageWriter.BeforeCommit beforeCommit) {
        PullerOptions options = new PullerOptions(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFNWATCHTEST", "test-secret")),
                now::get,
                sleptNanos::add,
                () -> 0.5,
                manualTime(),
                beforeCommit);
        CloudWatchPuller p = new CloudWatchPuller(config, CloudWatchSettings.from(config), options);
        pullers.add(p);
        return p;
    }

    CloudWatchPuller puller() {
        return puller(() -> {});
    }

    /** Token buckets never refill on their own here: tests give them enough tokens or assert the waits. */
    static TimeMeter manualTime() {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return 0;
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }

    List<ConsumerRecord<String, byte[]>> read(String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (TopicReader r = new TopicReader(config, topic)) {
            r.readToEnd(out::add);
        }
        return out;
    }

    List<ConsumerRecord<String, byte[]>> raw() {
        return read(config.string(FnwatchConfig.TOPIC_RAW));
    }

    /**
     * The raw records once at least {@code expected} are visible. A commit returns before its markers reach
     * every partition, so read_committed readers may see a committed page a moment later: wait for it.
     */
    List<ConsumerRecord<String, byte[]>> raw(int expected) {
        return read(config.string(FnwatchConfig.TOPIC_RAW), expected);
    }

    List<ConsumerRecord<String, byte[]>> read(String topic, int expected) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<ConsumerRecord<String, byte[]>> records = read(topic);
        while (records.size() < expected && System.nanoTime() < deadline) {
            records = read(topic);
        }
        return records;
    }

    /** The eventIds of the raw records once at least {@code expected} are visible, in topic order. */
    List<String> rawEventIds(int expected) {
        return raw(expected).stream()
                .map(r -> {
                    try {
                        return FakeCloudWatchLogs.JSON
                                .readTree(r.value())
                                .get("eventId")
                                .asText();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .toList();
    }
}
