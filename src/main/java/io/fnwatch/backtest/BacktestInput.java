package io.fnwatch.backtest;

import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.RecordReader;
import io.fnwatch.parse.SourceHints;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of log files, keyed and stamped the way {@link FileReplayer} sends them, restricted to an
 * event-time window and put in event-time order. The sort is stable, so records with equal times keep
 * their file order. A record with no parsable time (it will be dead-lettered) keeps its place in its file:
 * it takes the time of the record before it there (at a file's start, of the file's first timed record;
 * in a file with none, 0). It is kept only when no window is set, since nothing says whether it falls in one.
 * Holds the whole input in memory: the record bytes plus about 50 bytes a record. {@link MergedInput} gives the
 * same records in the same order without that, and uses this for the files it cannot stream. {@code demo} sends
 * its sample logs in this order too.
 */
public final class BacktestInput {

    /** One raw record as the topology will receive it. */
    public record Stamped(long timestamp, String key, byte[] value) {}

    /** The records to pipe (in order), how many records were read, and how many events the kept ones hold. */
    public record Loaded(List<Stamped> records, long read, long events) {}

    private static final long NO_TIME_YET = Long.MIN_VALUE;
    private static final long NO_TIME_AT_ALL = 0;

    private final LogParser parser;
    private final RecordReader reader;
    private final SourceHints hints;
    private final Instant from;
    private final Instant to;
    private final Map<String, String> keys = new HashMap<>();
    private final List<Stamped> kept = new ArrayList<>();
    private long read;
    private long events;
    private long previousTime = NO_TIME_YET;

    private BacktestInput(ParserSettings settings, SourceHints hints, Instant from, Instant to) {
        this.hints = hints;
        this.parser = new LogParser(settings);
        this.reader = new RecordReader(settings);
        this.from = from;
        this.to = to;
    }

    /** Reads {@code files} (already expanded); {@code from} inclusive, {@code to} exclusive, each may be null. */
    public static Loaded load(List<Path> files, ParserSettings settings, SourceHints hints, Instant from, Instant to)
            throws IOException {
        BacktestInput input = new BacktestInput(settings, hints, from, to);
        for (Path file : files) {
            int fileStart = input.kept.size();
            input.previousTime = NO_TIME_YET;
            try {
                FileReplayer.read(file, input.reader, raw -> input.add(raw.value()));
            } catch (IOException e) {
                throw MergedInput.naming(file, e);
            }
            input.stampLeadingRecords(fileStart);
        }
        input.kept.sort(Comparator.comparingLong(Stamped::timestamp)); // List.sort is stable
        return new Loaded(input.kept, input.read, input.events);
    }

    private void add(byte[] value) {
        read++;
        ParseResult parsed = parser.parse(value, null, hints);
        if (parsed.events().isEmpty()) {
            if (from == null && to == null) {
                kept.add(new Stamped(previousTime, null, value));
            }
            return;
        }
        long time = parsed.events().get(0).epochMillis();
        previousTime = time;
        if ((from == null || time >= from.toEpochMilli()) && (to == null || time < to.toEpochMilli())) {
            String key = FileReplayer.functionKey(parsed);
            // thousands of records share a handful of keys: keep one copy of each
            kept.add(new Stamped(time, key == null ? null : keys.computeIfAbsent(key, k -> k), value));
            events += parsed.events().size();
        }
    }

    /** Time-less records at the start of a file (kept from {@code fileStart}) take the file's first time. */
    private void stampLeadingRecords(int fileStart) {
        int firstTimed = fileStart;
        while (firstTimed < kept.size() && kept.get(firstTimed).timestamp() == NO_TIME_YET) {
            firstTimed++;
        }
        long time = firstTimed < kept.size() ? kept.get(firstTimed).timestamp() : NO_TIME_AT_ALL;
        for (int i = fileStart; i < firstTimed; i++) {
            Stamped s = kept.get(i);
            kept.set(i, new Stamped(time, s.key(), s.value()));
        }
    }
}
