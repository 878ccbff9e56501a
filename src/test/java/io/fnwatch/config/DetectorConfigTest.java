package io.fnwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.detect.DetectorSettings;
import io.fnwatch.detect.DetectorSpec;
import io.fnwatch.detect.Detectors;
import io.fnwatch.detect.RuntimeLifecycle;
import io.fnwatch.detect.StaleFunctionModel;
import io.fnwatch.detect.TrafficSpikeModel;
import io.fnwatch.model.FunctionKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectorConfigTest {

    @TempDir
    Path dir;

    private void copyShipped() throws IOException {
        for (DetectorSpec<?, ?> spec : Detectors.ALL) {
            Files.copy(Path.of("detectors", spec.file() + ".yaml"), dir.resolve(spec.file() + ".yaml"));
        }
    }

    private static FunctionKey fn(String tenant, String name) {
        return new FunctionKey(tenant, "aws", "1", "us-east-1", name);
    }

    @Test
    void shouldLoadShippedFilesAndBuiltInCopiesIdentically() {
        DetectorSettings disk = DetectorConfig.load(Path.of("detectors"), 1000).forFunction(fn("t", "f"));
        DetectorSettings builtIn = DetectorConfig.load(null, 1000).forFunction(fn("t", "f"));

        assertThat(disk).isEqualTo(builtIn);
        assertThat(disk.of(TrafficSpikeModel.SPEC).bucketMs()).isEqualTo(60_000);
        assertThat(disk.of(StaleFunctionModel.SPEC).dormantAfterMs()).isEqualTo(30L * 86_400_000);
        assertThat(disk.lateGraceMs()).isEqualTo(1000);
    }

    @Test
    void shouldApplyOverridesByTenantAndFunctionGlobInFileOrder() throws IOException {
        copyShipped();
        Path f = dir.resolve("traffic-spike.yaml");
        Files.writeString(f, Files.readString(f).replace("overrides: []", """
                overrides:
                  - match: {function: "batch-*"}
                    set: {minCount: 500}
                  - match: {tenant: acme, function: "batch-nightly"}
                    set: {minCount: 900, bucket: 5m}
                """));

        DetectorConfig config = DetectorConfig.load(dir, 0);

        assertThat(config.forFunction(fn("other", "batch-x"))
                        .of(TrafficSpikeModel.SPEC)
                        .minCount())
                .isEqualTo(500);
        assertThat(config.forFunction(fn("acme", "batch-nightly"))
                        .of(TrafficSpikeModel.SPEC)
                        .minCount())
                .isEqualTo(900);
        assertThat(config.forFunction(fn("acme", "batch-nightly"))
                        .of(TrafficSpikeModel.SPEC)
                        .bucketMs())
                .isEqualTo(300_000);
        assertThat(config.forFunction(fn("acme", "api"))
                        .of(TrafficSpikeModel.SPEC)
                        .minCount())
                .isEqualTo(20);
    }

    @Test
    void shouldDisableADetectorWhenEnabledIsFalse() throws IOException {
        copyShipped();
        Path f = dir.resolve("stale-function.yaml");
        Files.writeString(f, Files.readString(f).replace("enabled: true", "enabled: false"));

        assertThat(DetectorConfig.load(dir, 0).forFunction(fn("t", "f")).of(StaleFunctionModel.SPEC))
                .isNull();
    }

    @Test
    void shouldListEveryProblemWhenFilesAreWrong() throws IOException {
        copyShipped();
        Path traffic = dir.resolve("traffic-spike.yaml");
        Files.writeString(
                traffic,
                Files.readString(traffic)
                        .replace("z: 6.0", "z: -3")
                        .replace("bucket: 1m", "bucket: soon")
                        .replace("alpha: 0.03", "alfa: 1"));
        Path stale = dir.resolve("stale-function.yaml");
        Files.writeString(stale, Files.readString(stale).replace("enabled: true", "enabled: true\ncolour: red"));
        Files.delete(dir.resolve("duration-anomaly.yaml"));

        assertThatThrownBy(() -> DetectorConfig.load(dir, 0))
                .isInstanceOfSatisfying(
                        ConfigErrors.class,
                        e -> assertThat(e.problems())
                                .anyMatch(p -> p.contains("z = -3") && p.contains("out of range"))
                                .anyMatch(p -> p.contains("bucket = 'soon'"))
                                .anyMatch(p -> p.contains("unknown setting 'alfa'"))
                                .anyMatch(p -> p.contains("missing setting 'alpha'"))
                                .anyMatch(p -> p.contains("unknown key 'colour'"))
                                .anyMatch(p -> p.contains("duration-anomaly.yaml: file not found"))
                                .hasSize(6));
    }

    @Test
    void shouldRunTheDetectorsOwnChecksAndTablesWithTheSameMessages() throws IOException {
        copyShipped();
        Path traffic = dir.resolve("traffic-spike.yaml");
        Files.writeString(traffic, Files.readString(traffic).replace("confirmBuckets: 2", "confirmBuckets: 4"));
        Path stale = dir.resolve("stale-function.yaml");
        Files.writeString(
                stale,
                Files.readString(stale)
                        .replace("aws:python3.9: 2025-12-15", "aws:python3.9: soon")
                        .replace("2024-10-14, blockCreate: 2025-02-28", "2024-10-14, blockCreat: 2025-02-28"));

        assertThatThrownBy(() -> DetectorConfig.load(dir, 0))
                .isInstanceOfSatisfying(
                        ConfigErrors.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        dir
                                                + "/traffic-spike.yaml defaults: confirmBuckets (4) exceeds confirmWindow (3): an "
                                                + "incident could never open",
                                        dir
                                                + "/stale-function.yaml deprecatedRuntimes: aws:python3.9 = 'soon' is not a date "
                                                + "(YYYY-MM-DD)",
                                        dir
                                                + "/stale-function.yaml deprecatedRuntimes: aws:python3.8: unknown key "
                                                + "'blockCreat' (expected one of [deprecated, blockCreate, blockUpdate])"));
    }

    @Test
    void shouldReadTheDeprecationTableIntoTheStaleDetectorsSettings() {
        StaleFunctionModel.Settings s = DetectorConfig.load(Path.of("detectors"), 0)
                .forFunction(fn("t", "f"))
                .of(StaleFunctionModel.SPEC);

        assertThat(s.deprecatedRuntimes())
                .containsEntry(
                        "aws:python3.9",
                        new RuntimeLifecycle(
                                java.time.Instant.parse("2025-12-15T00:00:00Z").toEpochMilli(),
                                Long.MAX_VALUE,
                                Long.MAX_VALUE))
                .containsEntry(
                        "aws:python3.8",
                        new RuntimeLifecycle(
                                java.time.Instant.parse("2024-10-14T00:00:00Z").toEpochMilli(),
                                java.time.Instant.parse("2025-02-28T00:00:00Z").toEpochMilli(),
                                java.time.Instant.parse("2025-03-31T00:00:00Z").toEpochMilli()));
    }
}
