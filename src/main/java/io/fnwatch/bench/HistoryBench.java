package io.fnwatch.bench;

import io.fnwatch.backtest.BacktestInput;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.detect.MinuteSummary;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.kafka.TempFolders;
import io.fnwatch.parse.SourceHints;
import io.fnwatch.serde.Topics;
import io.fnwatch.topology.FnwatchTopology;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;

/**
 * What the console's per-minute history costs: log files are run through the production topology (as
 * {@code backtest} does) and the history store is read back. Reported: entries (blocks of up to
 * {@value MinuteSummary#BLOCK_MINUTES} function-minutes with calls) and the minutes they hold, the bytes of one
 * entry as its changelog record carries it (key, 8-byte timestamp, 4-byte sequence number, value), bytes per
 * function-hour of a function with calls every minute (60 minutes in full blocks, the most an hour can cost), bytes
 * per hour of the functions in the input as they are (their entries over the hours their history spans). Entries
 * older than the retention (48 h by default) before the input's end are gone, as in the service; the minutes of
 * each function's last block, still in its state, are not counted.
 */
public final class HistoryBench {

    /** What the window store's changelog key adds to the function key: the window start and a sequence number. */
    private static final int WINDOW_KEY_OVERHEAD = 8 + 4;

    public Map<String, Object> run(List<Path> inputs, FnwatchConfig config, DetectorConfig detectors, PrintStream out)
            throws IOException {
        List<BacktestInput.Stamped> records = BacktestInput.load(
                        FileReplayer.files(inputs), config.parserSettings(), SourceHints.NONE, null, null)
                .records();
        Path state = TempFolders.create("fnwatch-history-bench-");
        try {
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "fnwatch-history-bench");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "bench.invalid:9092");
            p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
            Topics topics = Topics.from(config);
            long entries = 0;
            long minutes = 0;
            long bytes = 0;
            long keyBytes = 0;
            Map<String, long[]> spans = new HashMap<>(); // function -> first, last minute
            try (TopologyTestDriver driver = new TopologyTestDriver(FnwatchTopology.build(config, detectors), p)) {
                TestInputTopic<String, byte[]> raw = driver.createInputTopic(
                        topics.raw().name(),
                        topics.raw().keySerde().serializer(),
                        topics.raw().valueSerde().serializer());
                for (BacktestInput.Stamped r : records) {
                    raw.pipeInput(r.key(), r.value(), r.timestamp());
                }
                WindowStore<String, byte[]> store = driver.getWindowStore(FnwatchTopology.HISTORY_STORE);
                try (KeyValueIterator<Windowed<String>, byte[]> all = store.all()) {
                    while (all.hasNext()) {
                        KeyValue<Windowed<String>, byte[]> kv = all.next();
                        entries++;
                        int key = kv.key.key().getBytes(StandardCharsets.UTF_8).length + WINDOW_KEY_OVERHEAD;
                        keyBytes += key;
                        bytes += key + kv.value.length;
                        List<MinuteSummary> held =
                                MinuteSummary.entry(kv.key.window().start(), kv.value);
                        minutes += held.size();
                        for (MinuteSummary m : held) {
                            long t = m.minuteStart();
                            spans.merge(kv.key.key(), new long[] {t, t}, (a, b) ->
                                    new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
                        }
                    }
                }
            }
            double spanHours = spans.values().stream()
                    .mapToDouble(s -> (s[1] - s[0] + 60_000) / 3_600_000.0)
                    .sum();
            double perEntry = entries == 0 ? 0 : (double) bytes / entries;
            // an entry's key and version byte, and each minute's share (its offset byte and figures)
            double perKey = entries == 0 ? 0 : (double) (keyBytes + entries) / entries;
            double perMinute = minutes == 0 ? 0 : (double) (bytes - keyBytes - entries) / minutes;
            double busyHour = 60.0 / MinuteSummary.BLOCK_MINUTES * perKey + 60 * perMinute;
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("records", records.size());
            json.put("functions", spans.size());
            json.put("entries", entries);
            json.put("minutes", minutes);
            json.put("bytesPerEntry", Math.round(perEntry));
            json.put("bytesPerMinute", Math.round(perMinute));
            json.put("bytesPerBusyFunctionHour", Math.round(busyHour));
            json.put("bytesPerFunctionHourAsInInput", spanHours == 0 ? 0 : Math.round(bytes / spanHours));
            out.printf(
                    "history: %,d records, %,d functions, %,d entries holding %,d function-minutes with calls%n",
                    records.size(), spans.size(), entries, minutes);
            out.printf(
                    "  %,.0f bytes per entry (changelog key + value), %,.0f per minute in it%n", perEntry, perMinute);
            out.printf("  %,.0f bytes per function-hour with calls every minute%n", busyHour);
            out.printf(
                    "  %,d bytes per function-hour as in the input (%,.1f function-hours spanned)%n",
                    json.get("bytesPerFunctionHourAsInInput"), spanHours);
            return json;
        } finally {
            TempFolders.delete(state);
        }
    }
}
