package io.fnwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes state bytes in the CURRENT format for {@link StateScenarios}, with what they must give, to
 * {@code src/test/resources/state/format<N>-<name>.bin} and {@code .json}: run it once before changing the
 * state format, commit the files, and a test then proves that the new build still reads them.
 *
 * <pre>mvn -o -q test -Dtest=StateFixturesWriter -Dfnwatch.writeStateFixtures=true</pre>
 *
 * <p>The JSON holds the status page of the stored state and the alerts the rest of the scenario raises when
 * the state is never serialised: restoring the bytes must give both.
 */
class StateFixturesWriter {

    static final Path DIR = Path.of("src/test/resources/state");

    @Test
    @EnabledIfSystemProperty(named = "fnwatch.writeStateFixtures", matches = "true")
    void writeFixtures() throws IOException {
        DetectorSettings settings = Defaults.settings();
        Files.createDirectories(DIR);
        for (StateScenarios.Scenario s : StateScenarios.ALL) {
            FunctionState state = new FunctionState();
            List<Alert> before = new ArrayList<>();
            FunctionState.replay(s.prefix(), settings, state, before);
            byte[] bytes = state.toBytes();
            FunctionKey key = s.prefix().get(0).key();
            Map<String, Object> status = FunctionStatus.of(key, state, settings);
            List<Alert> continued = new ArrayList<>();
            FunctionState.replay(s.rest(), settings, state, continued);
            assertThat(continued).as(s.name() + " continues with alerts").isNotEmpty();

            String name = "format" + bytes[0] + "-" + s.name();
            Files.write(DIR.resolve(name + ".bin"), bytes);
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("alertsBeforeCut", before.size());
            expected.put("status", status);
            expected.put("continued", continued);
            Files.writeString(
                    DIR.resolve(name + ".json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(expected) + "\n");
        }
    }
}
