package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kills the service (SIGKILL, child JVM) at seeded points of a replay of ~250,000 records and compares what
 * it committed with an uninterrupted run: exactly-once must lose and repeat nothing; at-least-once must show
 * the duplicates that exactly-once prevents, or the harness could not see them. Slow: tagged so that a local
 * run can skip it ({@code -Dit.excludedGroups=slow}); {@code mvn verify} and CI run it.
 */
@Tag("slow")
class CrashRecoveryIT extends AgainstReferenceRun {

    private static final int KILLS = 6;
    private static final long SEED = 20260311L;

    @Test
    void shouldLoseAndRepeatNothingWhenKilledSixTimesUnderExactlyOnce() throws Exception {
        CrashHarness.Outcome o = harness.run("eos", "exactly_once_v2", KILLS, SEED);

        AlertsDiff d = AlertsDiff.of(reference.alertsByFunction(), o.output().alertsByFunction());
        report("exactly_once_v2", o, d);
        assertThat(o.killedAtCommitted()).hasSize(KILLS);
        assertThat(o.killedAtCommitted().stream().filter(at -> at < o.records()).count())
                .as("kills while input was still being processed")
                .isGreaterThanOrEqualTo(5);
        assertThat(d.lost()).as("lost").isZero();
        assertThat(d.duplicated()).as("duplicated").isZero();
        assertThat(d.unexpected()).as("unexpected").isZero();
        assertThat(d.identical())
                .as(() -> "same JSON, same ids, same order per function: "
                        + AlertsDiff.differences(
                                reference.alertsByFunction(), o.output().alertsByFunction(), 5))
                .isTrue();
        assertThat(o.output().deadLetters())
                .as(() -> "every poison record dead-lettered once, with its reason; "
                        + reference.deadLettersDiff(o.output()))
                .isEqualTo(reference.deadLetters());
    }

    @Test
    void shouldShowDuplicatesWhenKilledUnderAtLeastOnceSoTheHarnessCanSeeThem() throws Exception {
        CrashHarness.Outcome o = harness.run("alos", "at_least_once", KILLS, SEED);

        AlertsDiff d = AlertsDiff.of(reference.alertsByFunction(), o.output().alertsByFunction());
        report("at_least_once", o, d);
        // Each kill lands right after an alert is written and (nearly always) before the next commit, one
        // second later: at-least-once then reprocesses from the last commit and emits that alert again.
        // Should a run ever show none, AlertsDiffTest still proves the counting on an injected duplicate.
        // Lost or changed alerts are not asserted here: at-least-once promises no lost input, and state that
        // a crash left ahead of the committed input may legitimately change later figures.
        assertThat(d.duplicated()).as("duplicates under at_least_once").isPositive();
    }

    @Test
    void shouldRecoverByItselfWhenTheBrokerIsAwayForAMinute() throws Exception {
        Path data = dir.resolve("restart-broker");
        int port = CrashHarness.freePort();
        EmbeddedKafka own = EmbeddedKafka.start(data, port, false);
        CrashHarness h = new CrashHarness(own.bootstrapServers(), dir);
        Map<String, String> instance = h.instance(h.settings("restart", "exactly_once_v2"), "a");
        FnwatchConfig c = h.config(instance);
        int internal = Integer.parseInt(instance.get(OpsSettings.INTERNAL_PORT));
        long records = h.replay(c);
        try (ServiceProcess child = h.start(instance, "restart")) {
            try (KafkaProbe probe = new KafkaProbe(c)) {
                Await.until(
                        "a third processed",
                        CrashHarness.STEP,
                        () -> probe.committedInput() >= records / 3,
                        child::tail);
            }
            long stoppedAt = System.nanoTime();
            own = awayForAMinute(own, data, port, internal, child);
            long awayFor = Duration.ofNanos(System.nanoTime() - stoppedAt).toSeconds();
            try (KafkaProbe probe = new KafkaProbe(c)) {
                CrashHarness.awaitDone(c, probe, child);
            }
            Await.until(
                    "/readyz again",
                    Duration.ofMinutes(1),
                    () -> HttpProbe.get(internal, "/readyz").status() == 200,
                    child::tail);
            RunOutput out = RunOutput.read(c);
            AlertsDiff d = AlertsDiff.of(reference.alertsByFunction(), out.alertsByFunction());
            System.out.printf("broker restart: %d records, broker away %d s, %s%n", records, awayFor, d);
            assertThat(d.identical())
                    .as(() -> d + AlertsDiff.differences(reference.alertsByFunction(), out.alertsByFunction(), 5))
                    .isTrue();
            assertThat(out.deadLetters())
                    .as(() -> reference.deadLettersDiff(out))
                    .isEqualTo(reference.deadLetters());
        } finally {
            own.close();
        }
    }

    @Test
    void shouldHaveDozensOfAlertsAndEveryKindOfPoisonInTheReference() throws Exception {
        FleetLogs.Written poison = CrashHarness.written();
        Map<String, Integer> dead = reference.deadLettersByReason();

        assertThat(reference.alertCount()).isGreaterThan(48);
        assertThat(dead.get("TOO_LARGE")).isEqualTo(poison.oversized());
        assertThat(dead.get("LATE")).isEqualTo(poison.late());
        assertThat(dead.get("BAD_JSON") + dead.get("UNKNOWN_FORMAT")).isGreaterThanOrEqualTo(poison.malformed());
    }

    /** Stops the broker, sees the service notice, keeps the broker away 60 s and starts it again. */
    private static EmbeddedKafka awayForAMinute(
            EmbeddedKafka broker, Path data, int port, int internal, ServiceProcess child) throws Exception {
        broker.close();
        long stoppedAt = System.nanoTime();
        Await.until(
                "/readyz to report Kafka unreachable",
                Duration.ofSeconds(50),
                () -> HttpProbe.get(internal, "/readyz").status() == 503,
                child::tail);
        assertThat(HttpProbe.get(internal, "/healthz").status())
                .as("alive while Kafka is away")
                .isEqualTo(200);
        // the outage's length is the test's input (the issue asks for 60 s), not a guess at a duration
        Await.until(
                "60 s of outage",
                Duration.ofSeconds(70),
                () -> System.nanoTime() - stoppedAt >= Duration.ofSeconds(60).toNanos());
        return EmbeddedKafka.start(data, port, false);
    }

    private static void report(String guarantee, CrashHarness.Outcome o, AlertsDiff d) {
        System.out.printf(
                "%s: %d records, %d kills at committed offsets %s (%d right after an alert write): %s%n",
                guarantee,
                o.records(),
                o.killedAtCommitted().size(),
                o.killedAtCommitted(),
                o.killsInsideTransactions(),
                d);
    }
}
