package io.fnwatch.ingest.http;

import static io.fnwatch.ingest.http.SamplePayloads.T0;
import static io.fnwatch.ingest.http.SamplePayloads.firehose;
import static io.fnwatch.ingest.http.SamplePayloads.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.jetty.RawClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Finding 4 of issue 13 on real sockets: clients that send headers or bodies slowly, or never finish them,
 * cannot hold the ingest server's threads, and are cut off by a deadline well before the idle timeout (40 s
 * here, so that only the deadlines under test can close a connection within the waits).
 */
class SlowClientsIT extends HttpIngestFixture {

    private static final Duration WAIT = Duration.ofSeconds(8);
    private static final String GLOBEX_ACCOUNT = "210987654321";

    private final List<RawClient> sockets = new ArrayList<>();
    private final ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void closeSockets() throws IOException {
        dribbler.shutdownNow();
        for (RawClient s : sockets) {
            s.close();
        }
    }

    private void startWith(long headerTimeoutMs) throws Exception {
        start(Map.of(
                "ingest.http.threads",
                "8",
                "ingest.http.max.concurrent.per.key",
                "4",
                "ingest.http.header.timeout.ms",
                String.valueOf(headerTimeoutMs),
                "ingest.http.idle.timeout.ms",
                "40000",
                "ingest.http.min.body.bytes.per.second",
                "1024",
                "ingest.http.rate.burst",
                "1000"));
    }

    private RawClient socket() throws IOException {
        RawClient s = RawClient.connect(port);
        sockets.add(s);
        return s;
    }

    private IngestClient.Reply globex(String id) throws Exception {
        return client.firehose(KEY_GLOBEX, id, firehose(id, subscription(GLOBEX_ACCOUNT, "globex-fn", T0)));
    }

    private String healthz() throws IOException {
        return socket().send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .readStatus(WAIT)
                .statusLine();
    }

    @Test
    void shouldServeOtherTenantsAndHealthzWhileOneKeyTricklesFourteenBodies() throws Exception {
        // a slow body is cut 10 s after its headers (not sooner: the grace): whatever is served in the first 10 s
        // after the attack began is served while the slow bodies hold their threads
        startWith(10_000);
        assertThat(globex("warm-up").status()).isEqualTo(200);

        long attack = System.nanoTime();
        List<RawClient> slow = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            slow.add(socket().headers(
                            "POST",
                            "/firehose",
                            100_000,
                            "X-Amz-Firehose-Access-Key",
                            KEY_ACME,
                            "Content-Type",
                            "application/json")
                    .send("{"));
        }
        awaitCount(10, "429", "concurrency");
        IngestClient.Reply other = globex("during-attack");
        String health = healthz();
        long servedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attack);

        assertThat(other.status()).isEqualTo(200);
        assertThat(health).isEqualTo("HTTP/1.1 200 OK");
        assertThat(servedMs).isLessThan(10_000);
        List<RawClient.Received> answers = new ArrayList<>();
        for (RawClient s : slow) {
            answers.add(s.readUntilClosed(Duration.ofSeconds(20)));
        }
        assertThat(answers).extracting(RawClient.Received::closed).containsOnly(true);
        assertThat(answers)
                .extracting(RawClient.Received::statusLine)
                .filteredOn(l -> l.contains(" 429 "))
                .hasSize(10);
        assertThat(answers)
                .extracting(RawClient.Received::statusLine)
                .filteredOn(l -> l.contains(" 408 "))
                .hasSize(4);
        assertThat(answers)
                .filteredOn(a -> a.statusLine().contains(" 429 "))
                .allSatisfy(a -> assertThat(a.text()).contains("Retry-After: 1"));
        assertThat(raw())
                .extracting(ConsumerRecord::key)
                .allSatisfy(k -> assertThat(k).startsWith("globex/"));
        assertThat(globex("after-attack").status()).isEqualTo(200);
    }

    @Test
    void shouldCloseConnectionsWhoseHeadersNeverCompleteWhileHealthzAnswers() throws Exception {
        startWith(300);
        List<RawClient> halfSent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            halfSent.add(socket().send("POST /firehose HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Firehose-Acc"));
        }
        // and one that keeps its idle timer fresh with a header byte every 100 ms
        RawClient trickling = socket().send("POST /firehose HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        CompletableFuture<Long> cutAfter = new CompletableFuture<>();
        long began = System.nanoTime();
        dribbler.scheduleAtFixedRate(
                () -> {
                    try {
                        trickling.send("X");
                    } catch (IOException e) {
                        cutAfter.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                    }
                },
                100,
                100,
                TimeUnit.MILLISECONDS);

        assertThat(healthz()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(globex("while-half-sent").status()).isEqualTo(200);
        for (RawClient s : halfSent) {
            RawClient.Received r = s.readUntilClosed(WAIT);
            assertThat(r.closed())
                    .as("closed by the header deadline, long before the idle timeout")
                    .isTrue();
        }
        assertThat(cutAfter.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isLessThan(WAIT.toMillis());
    }

    @Test
    void shouldAcceptABodyThatTakesManyHeaderTimeoutsWhenItMeetsTheRate() throws Exception {
        startWith(300);
        String json = firehose("steady-1", subscription(GLOBEX_ACCOUNT, "globex-fn", T0));
        String body = json + " ".repeat(8192 - json.length());
        RawClient upload = socket().headers(
                        "POST",
                        "/firehose",
                        body.length(),
                        "X-Amz-Firehose-Access-Key",
                        KEY_GLOBEX,
                        "X-Amz-Firehose-Request-Id",
                        "steady-1",
                        "Expect",
                        "100-continue");
        assertThat(upload.readStatus(WAIT).statusLine()).isEqualTo("HTTP/1.1 100 Continue");

        // 8 KiB in 16 pieces, one every 150 ms: 2.4 s (8 header timeouts) at 3.4 KiB/s, above the 1 KiB/s minimum
        int piece = body.length() / 16;
        AtomicInteger sent = new AtomicInteger();
        dribbler.scheduleAtFixedRate(
                () -> {
                    int i = sent.getAndIncrement();
                    if (i < 16) {
                        try {
                            upload.send(body.substring(i * piece, (i + 1) * piece));
                        } catch (IOException e) {
                            // the assertion below tells
                        }
                    }
                },
                150,
                150,
                TimeUnit.MILLISECONDS);

        RawClient.Received r = upload.readUntil("HTTP/1.1 200 OK\r\n", Duration.ofSeconds(15));
        assertThat(r.text()).contains("HTTP/1.1 200 OK");
        assertThat(sent.get()).isGreaterThanOrEqualTo(16);
    }

    @Test
    void shouldRefuseAWrongKeyAtOnceWithoutWaitingForTheBody() throws Exception {
        // deadlines of 10 s: only authenticating from the headers can explain an answer within WAIT
        startWith(10_000);

        RawClient.Received r = socket().headers(
                        "POST",
                        "/firehose",
                        50_000_000,
                        "X-Amz-Firehose-Access-Key",
                        "fnw_not-a-key",
                        "X-Amz-Firehose-Request-Id",
                        "r-1")
                .send("{")
                .readStatus(WAIT);

        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 401 Unauthorized");
    }

    @Test
    void shouldAnswer408AndCloseWhenABodyArrivesBelowTheMinimumRate() throws Exception {
        startWith(300);

        RawClient.Received r = socket().headers(
                        "POST",
                        "/firehose",
                        10_000,
                        "X-Amz-Firehose-Access-Key",
                        KEY_ACME,
                        "X-Amz-Firehose-Request-Id",
                        "slow-1")
                .send("{\"requestId\":")
                .readUntilClosed(WAIT);

        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
        assertThat(r.text())
                .contains("the request body arrived too slowly or stopped")
                .contains("slow-1");
        assertThat(r.closed()).isTrue();
        assertThat(raw()).isEmpty();
    }

    @Test
    void shouldAnswerARequestWhoseKafkaWaitOutlastsTheIdleTimeout() throws Exception {
        // the idle timeout is for silent clients, not for fnwatch's own wait on Kafka (bounded apart)
        start(Map.of(
                FnwatchConfig.BOOTSTRAP_SERVERS,
                "127.0.0.1:" + unusedPort(),
                "ingest.http.kafka.timeout.ms",
                "1500",
                "ingest.http.idle.timeout.ms",
                "200"));

        IngestClient.Reply reply = globex("kafka-away");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.json().get("errorMessage").asText()).contains("Kafka");
    }

    private void awaitCount(int expected, String status, String reason) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        double seen = 0;
        while (System.nanoTime() < deadline) {
            seen = meters.counter(
                            "fnwatch.ingest.requests",
                            "endpoint",
                            Endpoint.FIREHOSE.tag(),
                            "status",
                            status,
                            "reason",
                            reason)
                    .count();
            if (seen >= expected) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError(seen + " requests answered " + status + " (" + reason + "), expected " + expected);
    }
}
