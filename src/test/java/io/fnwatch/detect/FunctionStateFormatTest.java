package io.fnwatch.detect;

import static io.fnwatch.detect.Events.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.model.Alert;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stored state format: older state is read, and adding, removing or changing a detector relearns only it. */
class FunctionStateFormatTest {

    private final DetectorSettings settings = Defaults.settings();
    /** The detectors of the build that wrote the format-4 fixtures: those added since are disabled. */
    private final DetectorSettings format4Settings =
            settings.with(ErrorBurstModel.SPEC, null).with(CostSpikeModel.SPEC, null);

    @TempDir
    Path dir;

    private static StateScenarios.Scenario scenario(String name) {
        return StateScenarios.ALL.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static FunctionState learned(StateScenarios.Scenario s, DetectorSettings settings) {
        FunctionState state = new FunctionState(settings.registry());
        FunctionState.replay(s.prefix(), settings, state, new ArrayList<>());
        return state;
    }

    private static List<Alert> continued(FunctionState state, StateScenarios.Scenario s, DetectorSettings settings) {
        List<Alert> alerts = new ArrayList<>();
        FunctionState.replay(s.rest(), settings, state, alerts);
        return alerts;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "slowdown", "legacy"})
    void shouldRestoreFormat4StateWrittenByThePreviousBuild(String name) throws IOException {
        StateScenarios.Scenario s = scenario(name);
        byte[] bytes = Files.readAllBytes(StateFixturesWriter.DIR.resolve("format4-" + name + ".bin"));
        JsonNode expected = Json.MAPPER.readTree(
                StateFixturesWriter.DIR.resolve("format4-" + name + ".json").toFile());
        assertThat(bytes[0]).isEqualTo((byte) 4);

        FunctionState state = FunctionState.fromBytes(bytes);
        FunctionKey key = s.prefix().get(0).key();

        // compared as JSON text: a tree read from a file holds ints where one built from values holds longs
        assertThat(Json.string(FunctionStatus.of(key, state, format4Settings)))
                .isEqualTo(Json.string(expected.get("status")));
        assertThat(Json.string(continued(state, s, format4Settings))).isEqualTo(Json.string(expected.get("continued")));
        assertThat(expected.get("continued")).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "slowdown", "legacy"})
    void shouldRoundTripFormat5(String name) {
        StateScenarios.Scenario s = scenario(name);
        FunctionState state = learned(s, settings);
        byte[] bytes = state.toBytes();

        FunctionState restored = FunctionState.fromBytes(bytes);

        assertThat(bytes[0]).isEqualTo((byte) 5);
        assertThat(restored.toBytes()).isEqualTo(bytes);
        assertThat(restored.watermark()).isEqualTo(state.watermark());
        assertThat(continued(restored, s, settings)).isNotEmpty().isEqualTo(continued(state, s, settings));
    }

    @Test
    void shouldSkipTheSectionOfADetectorThisBuildDoesNotHave() throws IOException {
        StateScenarios.Scenario s = scenario("mixed");
        DetectorSettings withCeiling = DetectorConfig.load(
                        NewDetectorTest.detectorsWithCeiling(dir), 5 * MINUTE, NewDetectorTest.REGISTRY)
                .forFunction(s.prefix().get(0).key());
        byte[] newer = learned(s, withCeiling).toBytes();

        FunctionState older = FunctionState.fromBytes(newer, Detectors.ALL);

        assertThat(older.toBytes()).isEqualTo(learned(s, settings).toBytes());
        assertThat(continued(older, s, settings)).isEqualTo(continued(learned(s, settings), s, settings));
    }

    @Test
    void shouldStartADetectorThatWasAddedFreshAndKeepTheOthers() throws IOException {
        StateScenarios.Scenario s = scenario("mixed");
        DetectorSettings withCeiling = DetectorConfig.load(
                        NewDetectorTest.detectorsWithCeiling(dir), 5 * MINUTE, NewDetectorTest.REGISTRY)
                .forFunction(s.prefix().get(0).key());
        byte[] older = learned(s, settings).toBytes();

        FunctionState upgraded = FunctionState.fromBytes(older, NewDetectorTest.REGISTRY);

        // the production detectors learned the prefix, the ceiling saw none of it
        FunctionState expected = learned(s, withCeiling.with(InvocationCeiling.SPEC, null));
        assertThat(upgraded.toBytes()).isEqualTo(expected.toBytes());
    }

    @Test
    void shouldRelearnOnlyTheDetectorWhoseStateVersionChanged() {
        StateScenarios.Scenario s = scenario("mixed");
        List<DetectorSpec<?, ?>> specs = new ArrayList<>(Detectors.ALL.list());
        specs.set(0, TrafficSpikeModel.SPEC.withStateVersion(TrafficSpikeModel.SPEC.stateVersion() + 1));
        Detectors bumped = new Detectors(specs);
        DetectorSettings bumpedSettings = DetectorConfig.load(Path.of("detectors"), 5 * MINUTE, bumped)
                .forFunction(s.prefix().get(0).key());
        byte[] older = learned(s, settings).toBytes();

        FunctionState restored = FunctionState.fromBytes(older, bumped);

        FunctionState expected = learned(s, bumpedSettings.with(specs.get(0), null));
        assertThat(restored.toBytes()).isEqualTo(expected.toBytes());
        Map<String, Object> status = FunctionStatus.of(s.prefix().get(0).key(), restored, bumpedSettings);
        assertThat(status.get("baselines").toString()).contains("bucketsSeen=0").contains("samplesSeen=1");
    }

    @Test
    void shouldRelearnStateOfAFormatItDoesNotKnow() {
        byte[] bytes = learned(scenario("mixed"), settings).toBytes();
        bytes[0] = 3;

        assertThat(FunctionState.fromBytes(bytes).toBytes()).isEqualTo(new FunctionState().toBytes());
    }

    @Test
    void shouldThrowOnBytesThatDoNotParseInAKnownFormat() throws IOException {
        byte[] good = learned(scenario("mixed"), settings).toBytes();
        byte[] format4 = Files.readAllBytes(StateFixturesWriter.DIR.resolve("format4-mixed.bin"));
        int firstLength = 9 + 2; // format byte, watermark, then the first section's id and version

        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        byte[] shortSection = good.clone();
        shortSection[firstLength + 1] -= 8; // the first detector reads past its section's end
        byte[] longSection = Arrays.copyOf(good, good.length + 8);
        int length = ((good[firstLength] & 0xff) << 8) | (good[firstLength + 1] & 0xff);
        System.arraycopy(
                good,
                firstLength + 2 + length,
                longSection,
                firstLength + 2 + length + 8,
                good.length - firstLength - 2 - length);
        longSection[firstLength + 1] += 8; // the first detector leaves bytes of its section unread
        byte[] twice = Arrays.copyOf(good, good.length + 2 + 2 + length);
        System.arraycopy(good, firstLength - 2, twice, good.length, 4 + length);

        for (byte[] garbage : List.of(
                truncated,
                shortSection,
                longSection,
                twice,
                Arrays.copyOf(format4, format4.length - 5),
                Arrays.copyOf(good, 5))) {
            assertThatThrownBy(() -> FunctionState.fromBytes(garbage)).isInstanceOf(UncheckedIOException.class);
        }
    }
}
