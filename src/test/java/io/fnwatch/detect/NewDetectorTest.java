package io.fnwatch.detect;

import static io.fnwatch.detect.Events.HOUR;
import static io.fnwatch.detect.Events.MINUTE;
import static io.fnwatch.detect.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.model.Alert;
import io.fnwatch.model.FunctionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new detector is one class ({@link InvocationCeiling}), one YAML file ({@code invocation-ceiling.yaml}) and
 * one registry line ({@code Detectors.ALL.plus(...)} here, a line in {@link Detectors#ALL} in production):
 * nothing else is edited for it to be configured, fed, stored and restored.
 */
class NewDetectorTest {

    /** The one registry line. */
    static final Detectors REGISTRY = Detectors.ALL.plus(InvocationCeiling.SPEC);

    @TempDir
    Path dir;

    /** The shipped detectors/ folder with the new detector's YAML file added. */
    static Path detectorsWithCeiling(Path dir) throws IOException {
        for (DetectorSpec<?, ?> spec : Detectors.ALL) {
            Files.copy(Path.of("detectors", spec.file() + ".yaml"), dir.resolve(spec.file() + ".yaml"));
        }
        Files.copy(
                Path.of("src/test/resources/new-detector/invocation-ceiling.yaml"),
                dir.resolve("invocation-ceiling.yaml"));
        return dir;
    }

    private static List<FunctionEvent> burst() {
        long spike = T0 + 3 * HOUR;
        return new Events("ceiling", 5)
                .invocations(T0, T0 + 4 * HOUR, t -> t >= spike && t < spike + 3 * MINUTE ? 200.0 : 10.0, 80, .3, 0)
                .sorted();
    }

    @Test
    void shouldLoadTheNewDetectorsYamlAndFeedItWithoutChangingTheOthers() throws IOException {
        DetectorConfig config = DetectorConfig.load(detectorsWithCeiling(dir), 5 * MINUTE, REGISTRY);
        DetectorSettings settings = config.forFunction(burst().get(0).key());
        assertThat(settings.of(InvocationCeiling.SPEC)).isEqualTo(new InvocationCeiling.Settings(60_000, 150));

        List<Alert> alerts = new ArrayList<>();
        FunctionState.replay(burst(), settings, new FunctionState(REGISTRY), alerts);

        List<Alert> ceiling = alerts.stream()
                .filter(a -> "ceiling".equals(a.evidence().get("rule")))
                .toList();
        assertThat(ceiling).hasSize(3).allSatisfy(a -> assertThat(a.threshold()).isEqualTo(150));
        List<Alert> others = new ArrayList<>(alerts);
        others.removeAll(ceiling);
        assertThat(others).isNotEmpty().isEqualTo(Events.detect(burst(), Defaults.settings()));
    }

    @Test
    void shouldStoreAndRestoreTheNewDetectorsStateInItsOwnSection() throws IOException {
        DetectorSettings settings = DetectorConfig.load(detectorsWithCeiling(dir), 5 * MINUTE, REGISTRY)
                .forFunction(burst().get(0).key());
        List<FunctionEvent> events = burst();
        List<Alert> uninterrupted = new ArrayList<>();
        FunctionState.replay(events, settings, new FunctionState(REGISTRY), uninterrupted);

        List<Alert> restored = new ArrayList<>();
        byte[] bytes = new FunctionState(REGISTRY).toBytes();
        for (FunctionEvent e : events) {
            FunctionState state = FunctionState.fromBytes(bytes, REGISTRY);
            state.apply(e, settings, new Emitter(e.key(), restored));
            bytes = state.toBytes();
        }

        assertThat(restored).isEqualTo(uninterrupted);
        assertThat(FunctionState.fromBytes(bytes, REGISTRY).sizes()).containsEntry("invocation-ceiling", 12);
    }

    @Test
    void shouldReportTheNewDetectorsYamlProblemsLikeEveryOthers() throws IOException {
        detectorsWithCeiling(dir);
        Path f = dir.resolve("invocation-ceiling.yaml");
        Files.writeString(f, Files.readString(f).replace("max: 150", "max: 0"));

        assertThatThrownBy(() -> DetectorConfig.load(dir, 0, REGISTRY))
                .isInstanceOfSatisfying(
                        ConfigErrors.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        dir
                                                + "/invocation-ceiling.yaml defaults: max = 0 is out of range [1, 1000000000]"));
    }

    @Test
    void shouldNotNeedTheNewDetectorsFileWhereItIsNotRegistered() throws IOException {
        detectorsWithCeiling(dir);
        Files.delete(dir.resolve("invocation-ceiling.yaml"));

        assertThat(DetectorConfig.load(dir, 0).forFunction(burst().get(0).key()).of(InvocationCeiling.SPEC))
                .isNull();
        assertThatThrownBy(() -> DetectorConfig.load(dir, 0, REGISTRY))
                .isInstanceOfSatisfying(
                        ConfigErrors.class,
                        e -> assertThat(e.problems())
                                .containsExactly(dir + "/invocation-ceiling.yaml: file not found"));
    }
}
