package io.fnwatch.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.Json;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.SourceHints;
import io.fnwatch.service.SampleIncidents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestTest {

    private static final FnwatchConfig CONFIG = FnwatchConfig.of(Map.of());
    private static final DetectorConfig DETECTORS = DetectorConfig.load(Path.of("detectors"), 300_000);
    private static final Path SAMPLE_LOGS = Path.of("sample-logs");
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    @TempDir
    Path dir;

    private record Run(List<Alert> alerts, List<String> json, Backtest.Result result) {

        Set<String> incidents() {
            return alerts.stream()
                    .map(a -> a.type() + " " + a.state() + " " + a.function())
                    .collect(Collectors.toSet());
        }
    }

    private static Run backtest(List<Path> inputs, Instant from, Instant to) throws IOException {
        List<Alert> alerts = new ArrayList<>();
        List<String> json = new ArrayList<>();
        Backtest.Result result = Backtest.run(
                inputs,
                CONFIG,
                DETECTORS,
                from,
                to,
                a -> {
                    alerts.add(a);
                    json.add(Json.string(a));
                },
                n -> {});
        return new Run(alerts, json, result);
    }

    private static String line(String function, Instant t, String message) {
        return "{\"logGroup\":\"/aws/lambda/" + function + "\",\"logStream\":\"2026/03/02/[$LATEST]ab\","
                + "\"timestamp\":" + t.toEpochMilli() + ",\"message\":\"" + message + "\",\"account\":\"123456789012\","
                + "\"region\":\"us-east-1\"}";
    }

    private static String start(String function, Instant t) {
        return line(function, t, "START RequestId: r-" + t.toEpochMilli() + " Version: $LATEST");
    }

    private static String denial(String function, Instant t) {
        return line(
                function,
                t,
                "User: arn:aws:sts::1:assumed-role/r/f is not authorized to perform: s3:GetObject"
                        + " on resource: arn:aws:s3:::b/k");
    }

    private Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }

    @Test
    void shouldReportExactlyTheSampleIncidentsWithIdenticalBytesWhenSampleLogsAreBacktestedTwice() throws IOException {
        Run first = backtest(List.of(SAMPLE_LOGS), null, null);
        Run second = backtest(List.of(SAMPLE_LOGS), null, null);

        SampleIncidents.assertExactly(first.alerts());
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(first.result().recordsRead())
                .isEqualTo(first.result().recordsInWindow())
                .isGreaterThan(100_000);
        assertThat(first.result().deadLettersByReason())
                .isEqualTo(Map.of("BAD_JSON", 1L, "MISSING_FIELD", 3L, "UNKNOWN_FORMAT", 3L));
        assertThat(first.result().alertsByType())
                .isEqualTo(first.alerts().stream()
                        .collect(Collectors.groupingBy(
                                a -> a.type().name(), java.util.TreeMap::new, Collectors.counting())));
    }

    @Test
    void shouldNotReportTheTrafficSpikeWhenTheWindowEndsBeforeIt() throws IOException {
        Run run = backtest(List.of(SAMPLE_LOGS), T0, Instant.parse("2026-03-03T13:00:00Z"));

        assertThat(run.alerts()).extracting(Alert::type).doesNotContain(AlertType.TRAFFIC_SPIKE);
        assertThat(run.incidents()).contains("PERMISSION_DENIED_BURST OPEN reports-export");
        assertThat(run.result().recordsInWindow())
                .isPositive()
                .isLessThan(run.result().recordsRead());
        // lines without a readable time cannot be placed in a window, so none reach the dead letters
        assertThat(run.result().deadLettersByReason()).isEmpty();
    }

    @Test
    void shouldReportWhatTheSortedInputReportsWhenFilesArriveOutOfEventTimeOrder() throws IOException {
        Instant wake = T0.plus(Duration.ofDays(40));
        List<String> early = new ArrayList<>(List.of(start("sleepy", T0)));
        List<String> late = new ArrayList<>(List.of("not a log line"));
        for (int i = 0; i < 12; i++) {
            (i < 6 ? early : late).add(denial("orders-api", T0.plusSeconds(60 + 5L * i)));
        }
        late.add(start("sleepy", wake));
        // name order puts the later events first: the run has to sort them
        Path lateFile = write("a-late.jsonl", late);
        Path earlyFile = write("b-early.jsonl", early);
        List<String> sorted = new ArrayList<>(early);
        sorted.addAll(late);
        Path sortedFile = write("sorted.jsonl", sorted);

        Run shuffled = backtest(List.of(lateFile, earlyFile), null, null);
        Run reference = backtest(List.of(sortedFile), null, null);

        assertThat(shuffled.incidents())
                .contains("STALE_FUNCTION_INVOKED OPEN sleepy", "PERMISSION_DENIED_BURST OPEN orders-api");
        assertThat(shuffled.json()).isEqualTo(reference.json());
        assertThat(shuffled.result().deadLettersByReason()).isEqualTo(Map.of("UNKNOWN_FORMAT", 1L));
    }

    @Test
    void shouldKeepFileOrderForEqualTimesAndPlaceUnreadableLinesWithTheirNeighboursWhenLoadingInput()
            throws IOException {
        Path file = write(
                "mixed.jsonl",
                List.of(
                        "garbage before anything",
                        start("b", T0.plusSeconds(20)),
                        start("a", T0.plusSeconds(10)),
                        "garbage after a",
                        start("c", T0.plusSeconds(10)),
                        start("d", T0)));

        BacktestInput.Loaded loaded =
                BacktestInput.load(List.of(file), ParserSettings.DEFAULTS, SourceHints.NONE, null, null);

        assertThat(loaded.records())
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly(
                        start("d", T0),
                        start("a", T0.plusSeconds(10)),
                        "garbage after a",
                        start("c", T0.plusSeconds(10)),
                        "garbage before anything",
                        start("b", T0.plusSeconds(20)));
        assertThat(loaded.records().get(0).key()).endsWith("/d");
        assertThat(loaded.records().get(2).key()).isNull();
        assertThat(loaded.read()).isEqualTo(6);
        assertThat(loaded.events()).isEqualTo(4);
    }

    @Test
    void shouldKeyASubscriptionPayloadWithTheRegionGivenWhenItNamesNone() throws IOException {
        Path file = Path.of("src/test/resources/golden/subscription/data-message.in");

        BacktestInput.Loaded with = BacktestInput.load(
                List.of(file), ParserSettings.DEFAULTS, SourceHints.ofRegion("eu-west-2"), null, null);
        BacktestInput.Loaded without =
                BacktestInput.load(List.of(file), ParserSettings.DEFAULTS, SourceHints.NONE, null, null);

        assertThat(with.records())
                .extracting(BacktestInput.Stamped::key)
                .containsOnly("default/aws/123456789012/eu-west-2/orders-api");
        assertThat(without.records())
                .extracting(BacktestInput.Stamped::key)
                .containsOnly("default/aws/123456789012/-/orders-api");
    }
}
