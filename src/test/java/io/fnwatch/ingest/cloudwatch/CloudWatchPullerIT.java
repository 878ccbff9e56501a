package io.fnwatch.ingest.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The puller with the real SDK client against the fake service and the real broker. */
class CloudWatchPullerIT extends CloudWatchFixture {

    private static final String ORDERS = "/aws/lambda/orders-api";

    private List<String> events(String group, int n, long from) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(fake.event(group, from + i * 1000L, "START RequestId: r" + i + " Version: $LATEST"));
        }
        return ids;
    }

    @Test
    void shouldWriteEveryEventOnceWithItsCheckpointWhenPagesArePaginatedOrEmpty() throws Exception {
        configure(Map.of());
        fake.group(ORDERS, ACCOUNT);
        fake.group("/aws/lambda/billing", ACCOUNT);
        fake.group("/ecs/not-a-function", ACCOUNT);
        List<String> ids = new ArrayList<>(events(ORDERS, 25, T0));
        ids.addAll(events("/aws/lambda/billing", 3, T0));
        events("/ecs/not-a-function", 2, T0);
        fake.emptyPagesBefore = 1;
        CloudWatchPuller puller = puller();

        int written = puller.pollOnce();
        int again = puller.pollOnce();

        assertThat(written).isEqualTo(28);
        assertThat(again).isZero();
        assertThat(rawEventIds(ids.size())).containsExactlyInAnyOrderElementsOf(ids);
        List<ConsumerRecord<String, byte[]>> raw = raw(ids.size());
        assertThat(raw).extracting(ConsumerRecord::key).contains("default/aws/" + ACCOUNT + "/us-east-1/orders-api");
        assertThat(raw).extracting(ConsumerRecord::topic).containsOnly(config.string(FnwatchConfig.TOPIC_RAW));
        assertThat(raw).extracting(ConsumerRecord::timestamp).contains(T0, T0 + 24_000);
        assertThat(fake.seen("FilterLogEvents").stream().filter(s -> s.body().has("nextToken")))
                .hasSizeGreaterThan(5);
        assertThat(CloudWatchCheckpoints.load(config, config.string("topic.cloudwatch.checkpoints")))
                .containsOnlyKeys(ACCOUNT + "/us-east-1/" + ORDERS, ACCOUNT + "/us-east-1//aws/lambda/billing")
                .allSatisfy((k, cp) -> assertThat(cp.done()).isTrue());
    }

    @Test
    void shouldNeitherLoseNorDuplicateWhenKilledBetweenPagesAndRestarted() throws Exception {
        configure(Map.of("cloudwatch.inventory.enabled", "false"));
        fake.group(ORDERS, ACCOUNT);
        List<String> ids = events(ORDERS, 35, T0);
        CountDownLatch killed = new CountDownLatch(1);
        CountDownLatch zombieMayGoOn = new CountDownLatch(1);
        AtomicInteger pages = new AtomicInteger();
        CloudWatchPuller first = puller(() -> {
            if (pages.incrementAndGet() == 3) {
                killed.countDown();
                zombieMayGoOn.await();
            }
        });
        AtomicReference<Throwable> zombieFailure = new AtomicReference<>();
        Thread zombie = new Thread(() -> {
            try {
                first.pollOnce();
            } catch (Throwable t) {
                zombieFailure.set(t);
            }
        });
        zombie.start();
        assertThat(killed.await(60, TimeUnit.SECONDS)).isTrue();

        CloudWatchPuller restarted = puller();
        int resumed = restarted.pollOnce();
        zombieMayGoOn.countDown();
        zombie.join(60_000);

        assertThat(resumed).isEqualTo(15);
        assertThat(rawEventIds(35)).hasSize(35).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(zombieFailure.get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("puller stopped");
    }

    @Test
    void shouldWriteLateEventsOfTheOverlapOnceWhenPolledAgain() throws Exception {
        configure(Map.of("cloudwatch.overlap.ms", String.valueOf(5 * MINUTE)));
        fake.group(ORDERS, ACCOUNT);
        List<String> ids = new ArrayList<>(events(ORDERS, 12, now.get() - 6 * MINUTE));
        CloudWatchPuller puller = puller();
        puller.pollOnce();
        long firstEnd = now.get();

        ids.add(fake.event(ORDERS, firstEnd - 2 * MINUTE, "START RequestId: late Version: 1"));
        ids.add(fake.event(ORDERS, firstEnd + MINUTE, "START RequestId: new Version: 1"));
        now.addAndGet(2 * MINUTE);
        int second = puller.pollOnce();

        assertThat(second).isEqualTo(2);
        assertThat(rawEventIds(14)).hasSize(14).containsExactlyInAnyOrderElementsOf(ids);
        List<FakeCloudWatchLogs.Seen> queries = fake.seen("FilterLogEvents");
        assertThat(queries.get(queries.size() - 1).body().get("startTime").asLong())
                .isEqualTo(firstEnd - 5 * MINUTE);
    }

    @Test
    void shouldBackOffWithGrowingJitteredWaitsAndThenWriteEverythingWhenThrottledOrUnavailable() throws Exception {
        configure(Map.of("cloudwatch.backoff.base.ms", "200", "cloudwatch.backoff.max.ms", "500"));
        fake.group(ORDERS, ACCOUNT);
        List<String> ids = events(ORDERS, 5, T0);
        fake.fail(400, "ThrottlingException", 2);
        fake.fail(503, "ServiceUnavailableException", 1);

        int written = puller().pollOnce();

        assertThat(written).isEqualTo(5);
        assertThat(rawEventIds(5)).containsExactlyInAnyOrderElementsOf(ids);
        // random 0.5: cap/2 + cap/4 with caps 200, 400, then 500 (the maximum)
        assertThat(sleptNanos).containsExactly(150_000_000L, 300_000_000L, 375_000_000L);
    }

    @Test
    void shouldResumeWithoutDuplicatesWhenTheTokenOfAnOpenQueryHasExpired() throws Exception {
        configure(Map.of("cloudwatch.inventory.enabled", "false"));
        fake.group(ORDERS, ACCOUNT);
        List<String> ids = events(ORDERS, 25, T0);
        AtomicInteger pages = new AtomicInteger();
        CloudWatchPuller first = puller(() -> {
            if (pages.incrementAndGet() == 2) {
                throw new InterruptedException("stopped after one committed page");
            }
        });
        try {
            first.pollOnce();
        } catch (InterruptedException expected) {
            // the first page is committed with a next token; the second is aborted
        }

        fake.expireTokens();
        int resumed = puller().pollOnce();

        assertThat(resumed).isEqualTo(15);
        assertThat(rawEventIds(25)).hasSize(25).containsExactlyInAnyOrderElementsOf(ids);
    }
}
