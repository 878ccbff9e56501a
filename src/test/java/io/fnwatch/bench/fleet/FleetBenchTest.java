package io.fnwatch.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetBenchTest {

    @TempDir
    Path dir;

    private static Alert open(AlertType type, String function, long at, long incident) {
        FunctionKey k = new FunctionKey("default", "aws", "1", "r", function);
        return new Alert(
                Alert.incidentId(type, k, incident),
                type,
                AlertState.OPEN,
                "default",
                "aws",
                "1",
                "r",
                function,
                Instant.ofEpochMilli(at),
                Instant.ofEpochMilli(at),
                Instant.ofEpochMilli(at),
                Severity.LOW,
                50,
                1,
                1,
                1,
                "s",
                Map.of());
    }

    @Test
    void shouldWriteIdenticalLogsAndLabelsWhenTheSeedIsTheSame() throws IOException {
        for (String run : List.of("a", "b")) {
            List<FleetFunction> fleet = new FleetGenerator(42, 3).draw(12, 2);
            FleetWriter writer = new FleetWriter(43, 3);
            Files.createDirectories(dir.resolve(run));
            for (FleetFunction f : fleet) {
                writer.write(f, dir.resolve(run).resolve(f.name + ".jsonl.gz"));
            }
        }
        try (var files = Files.list(dir.resolve("a"))) {
            for (Path a : files.toList()) {
                assertThat(Files.readAllBytes(a))
                        .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(a.getFileName())));
            }
        }
    }

    @Test
    void shouldPlantIncidentsOfEveryAlertTypeInADefaultSizedFleet() {
        List<FleetFunction> fleet = new FleetGenerator(1, 28).draw(200, 5);

        assertThat(fleet.stream()
                        .flatMap(f -> f.incidents.stream())
                        .map(PlantedIncident::type)
                        .distinct())
                .containsExactlyInAnyOrder(AlertType.values());
    }

    @Test
    void shouldCountDetectionsDelaysAndFalseAlertsWhenMatchingAlertsToIncidents() {
        long t = FleetGenerator.START + 3 * FleetGenerator.DAY;
        List<PlantedIncident> planted = List.of(
                new PlantedIncident(AlertType.TRAFFIC_SPIKE, "fn-1", t, t + 600_000, "step"),
                new PlantedIncident(AlertType.TRAFFIC_SPIKE, "fn-2", t, t + 600_000, "step"));
        List<Alert> alerts = List.of(
                open(AlertType.TRAFFIC_SPIKE, "fn-1", t + 120_000, t),
                open(AlertType.TRAFFIC_SPIKE, "fn-1", t + 180_000, t),
                open(AlertType.TRAFFIC_SPIKE, "fn-3", t, t));

        FleetEvaluation.Row row =
                FleetEvaluation.evaluate(planted, alerts, 1000).get(0);

        assertThat(row.type()).isEqualTo(AlertType.TRAFFIC_SPIKE);
        assertThat(row.detected()).isEqualTo(1);
        assertThat(row.recall()).isEqualTo(0.5);
        assertThat(row.alertIncidents()).isEqualTo(2);
        assertThat(row.precision()).isEqualTo(0.5);
        assertThat(row.medianDelayMin()).isEqualTo(2.0);
        assertThat(row.falsePer1000FunctionDays()).isEqualTo(1.0);
    }
}
