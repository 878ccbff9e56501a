package io.fnwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.ingest.RawRecords;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateScaleBenchTest {

    @TempDir
    Path dir;

    @Test
    void shouldGiveEveryFunctionAFewKeyedRecordsInEventTimeOrderWhenFillingTheTopic() {
        LogParser parser = new LogParser(ParserSettings.DEFAULTS);
        Map<String, List<FunctionEvent>> byKey = new HashMap<>();
        List<byte[]> lines = new ArrayList<>();
        new ScaleFleet(40, 2).forEach(lines::add);

        for (byte[] line : lines) {
            ParseResult parsed = parser.parse(line);
            assertThat(parsed.rejections()).isEmpty();
            String key = RawRecords.of("t", line, parsed).key();
            assertThat(key).isNotNull();
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).addAll(parsed.events());
        }

        // 2 START/REPORT pairs each, INIT_START for 10 of 40, a denial for 4 of 40
        assertThat(lines).hasSize(40 * 4 + 10 + 4);
        assertThat(byKey).hasSize(40);
        byKey.values().forEach(events -> {
            assertThat(events).isSortedAccordingTo((a, b) -> Long.compare(a.epochMillis(), b.epochMillis()));
            assertThat(events).filteredOn(e -> e.kind() == EventKind.START).hasSize(2);
        });
    }

    @Test
    void shouldSumOnlyRocksDbFilesWhenMeasuringTheStateFolder() throws IOException {
        Path store = Files.createDirectories(dir.resolve("app/0_1/rocksdb/detectors-state-store"));
        Files.write(store.resolve("000001.sst"), new byte[1000]);
        Files.write(store.resolve("MANIFEST-000001"), new byte[24]);
        Files.write(dir.resolve("app/0_1/.checkpoint"), new byte[500]);

        assertThat(StateScaleBench.rocksDbBytes(dir)).isEqualTo(1024);
    }
}
