package io.fnwatch.backtest;

import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.RecordReader;
import io.fnwatch.parse.SourceHints;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.zip.GZIPInputStream;

/**
 * The records of {@link BacktestInput}, in the same order (the stable sort by event time of all files' records in
 * file order), without holding them all: a first pass reads every file once to count it and to check that its
 * records are already in event-time order; the second merges the files (k-way, on the record's time, then the
 * file's place in the list, which is exactly what the stable sort does with equal times).
 * <p>A file read line by line is streamed. The first pass also finds how late its most late record is (behind the
 * latest time before it in the file): a file in order has none, and a file that is nearly in order (an invocation's
 * last line written after the next one's first, say) is put in order through a buffer that holds only its records
 * within that lateness of its latest time so far; a file in no order at all ends up wholly in that buffer, as the
 * in-memory sort would hold it. A file that is one JSON document (see {@link RecordReader}) or holds a single
 * record, and any file that would take the number of files open at once past {@code maxOpenFiles}, is read into
 * memory and sorted when the merge reaches its first record, and let go once its last one is taken. A streamed
 * file is opened when the merge reaches its first record and closed after its last, so only files whose time
 * spans overlap are open together; each holds an 8 KiB gzip buffer, an 8 KiB read buffer, zlib's window, the line
 * being read and its reorder buffer.
 */
final class MergedInput implements Closeable {

    private static final int BUFFER_BYTES = 8 << 10;
    private static final long NO_TIME_YET = Long.MIN_VALUE;
    private static final long NO_TIME_AT_ALL = 0;

    /** What the first pass learned of one file. */
    record Scan(
            Path file,
            int index,
            long read,
            long kept,
            long events,
            long lateness,
            boolean lines,
            long firstTime,
            long minKept,
            long maxKept) {

        boolean streamable() {
            return lines;
        }
    }

    /** How the files are read: counts for the progress notes. */
    record Plan(int files, int streamed, int notInOrder, long maxLateness, int documents, int pastOpenLimit) {}

    private final ParserSettings settings;
    private final SourceHints hints;
    private final Instant from;
    private final Instant to;
    private final LogParser parser;
    private final RecordReader reader;
    private final Map<String, String> keys = new HashMap<>();
    private final PriorityQueue<Source> queue =
            new PriorityQueue<>(Comparator.comparingLong((Source s) -> s.head).thenComparingInt(s -> s.scan.index()));
    private final List<Source> open = new ArrayList<>();
    private long read;
    private long events;
    private Plan plan;

    private MergedInput(ParserSettings settings, SourceHints hints, Instant from, Instant to) {
        this.settings = settings;
        this.hints = hints;
        this.from = from;
        this.to = to;
        this.parser = new LogParser(settings);
        this.reader = new RecordReader(settings);
    }

    /**
     * Reads {@code files} (already expanded) once, and plans the merge. {@code from} inclusive, {@code to}
     * exclusive, each may be null. A file that cannot be read (a truncated gzip stream) fails here, before any
     * record is handed on.
     */
    static MergedInput open(
            List<Path> files, ParserSettings settings, SourceHints hints, Instant from, Instant to, int maxOpenFiles)
            throws IOException {
        MergedInput input = new MergedInput(settings, hints, from, to);
        List<Scan> scans = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            Scan scan;
            try {
                scan = input.scan(files.get(i), i);
            } catch (IOException e) {
                throw naming(files.get(i), e);
            }
            input.read += scan.read();
            input.events += scan.events();
            scans.add(scan);
        }
        input.plan(scans, maxOpenFiles);
        return input;
    }

    long read() {
        return read;
    }

    /** Among hundreds of files, says which one failed (a truncated gzip says only "Unexpected end of ZLIB…"). */
    static IOException naming(Path file, IOException e) {
        return new IOException(file + ": " + e.getMessage(), e);
    }

    long events() {
        return events;
    }

    Plan plan() {
        return plan;
    }

    /** The next record in order, or null after the last. */
    BacktestInput.Stamped next() throws IOException {
        Source s = queue.poll();
        if (s == null) {
            return null;
        }
        BacktestInput.Stamped r = s.take();
        if (s.left > 0) {
            queue.add(s);
        }
        return r;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Source s : List.copyOf(open)) {
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private boolean noWindow() {
        return from == null && to == null;
    }

    private boolean inWindow(long time) {
        return (from == null || time >= from.toEpochMilli()) && (to == null || time < to.toEpochMilli());
    }

    private String key(ParseResult parsed) {
        String key = FileReplayer.functionKey(parsed);
        // thousands of records share a handful of keys: keep one copy of each
        return key == null ? null : keys.computeIfAbsent(key, k -> k);
    }

    /** The first pass over one file: the same records, parse and window as {@link BacktestInput}. */
    private Scan scan(Path file, int index) throws IOException {
        final class Counts {
            long read;
            long kept;
            long events;
            long firstTime = NO_TIME_YET;
            long lateness;
            long minKept = Long.MAX_VALUE;
            long maxKept = Long.MIN_VALUE;
            boolean document;
        }
        Counts c = new Counts();
        FileReplayer.read(file, reader, raw -> {
            c.read++;
            c.document |= raw.inDocument();
            ParseResult parsed = parser.parse(raw.value(), null, hints);
            if (parsed.events().isEmpty()) {
                if (noWindow()) {
                    c.kept++; // takes the time before it, so keeps the order
                }
                return;
            }
            long time = parsed.events().get(0).epochMillis();
            if (c.firstTime == NO_TIME_YET) {
                c.firstTime = time;
            }
            if (inWindow(time)) {
                c.kept++;
                c.events += parsed.events().size();
                if (c.maxKept != Long.MIN_VALUE) {
                    c.lateness = Math.max(c.lateness, c.maxKept - time);
                }
                c.minKept = Math.min(c.minKept, time);
                c.maxKept = Math.max(c.maxKept, time);
            }
        });
        if (c.minKept == Long.MAX_VALUE) { // no timed record kept: any kept record is stamped 0
            c.minKept = NO_TIME_AT_ALL;
            c.maxKept = NO_TIME_AT_ALL;
        }
        // one record may be a whole-file document; a batch document's records are flagged
        boolean lines = !c.document && c.read > 1;
        return new Scan(
                file,
                index,
                c.read,
                c.kept,
                c.events,
                c.lateness,
                lines,
                c.firstTime == NO_TIME_YET ? NO_TIME_AT_ALL : c.firstTime,
                c.minKept,
                c.maxKept);
    }

    /**
     * Streams every streamable file unless more than {@code maxOpenFiles} would be open at once: files are taken
     * in the order the merge opens them, and one that would go past the limit is read into memory instead.
     */
    private void plan(List<Scan> scans, int maxOpenFiles) {
        List<Scan> byStart = scans.stream()
                .filter(s -> s.kept() > 0 && s.streamable())
                .sorted(Comparator.comparingLong(Scan::minKept).thenComparingInt(Scan::index))
                .toList();
        boolean[] streamed = new boolean[scans.size()];
        PriorityQueue<Long> openUntil = new PriorityQueue<>();
        int pastOpenLimit = 0;
        for (Scan s : byStart) {
            // a file whose last record is before this one's first has been closed; one ending at the same
            // time may not have been yet
            while (!openUntil.isEmpty() && openUntil.peek() < s.minKept()) {
                openUntil.poll();
            }
            if (openUntil.size() < maxOpenFiles) {
                openUntil.add(s.maxKept());
                streamed[s.index()] = true;
            } else {
                pastOpenLimit++;
            }
        }
        int count = 0;
        int notInOrder = 0;
        long maxLateness = 0;
        int documents = 0;
        for (Scan s : scans) {
            if (!s.lines() && s.read() > 1) {
                documents++;
            } else if (s.lateness() > 0 && streamed[s.index()]) {
                notInOrder++;
                maxLateness = Math.max(maxLateness, s.lateness());
            }
            if (s.kept() > 0) {
                queue.add(streamed[s.index()] ? new Streamed(s) : new InMemory(s));
                count += streamed[s.index()] ? 1 : 0;
            }
        }
        plan = new Plan(scans.size(), count, notInOrder, maxLateness, documents, pastOpenLimit);
    }

    /** One file's kept records, in order, taken one at a time; {@code head} is the time of the next. */
    private abstract class Source implements Closeable {
        final Scan scan;
        long head;
        long left;
        private BacktestInput.Stamped next;

        Source(Scan scan) {
            this.scan = scan;
            this.head = scan.minKept();
            this.left = scan.kept();
        }

        /** The file's next kept record. */
        abstract BacktestInput.Stamped read() throws IOException;

        BacktestInput.Stamped take() throws IOException {
            BacktestInput.Stamped r = next != null ? next : read();
            next = null;
            left--;
            if (r.timestamp() != head) {
                throw changed();
            }
            if (left > 0) {
                next = read();
                if (next.timestamp() < r.timestamp()) {
                    throw changed();
                }
                head = next.timestamp();
            } else {
                close();
            }
            return r;
        }

        IOException changed() {
            return new IOException(scan.file() + " changed while it was backtested");
        }
    }

    /** A record of a streamed file and its place there, waiting in the reorder buffer. */
    private record Waiting(BacktestInput.Stamped record, long place) {}

    /**
     * A file read line by line as the merge needs its records, put in order (time, then place in the file, as
     * the stable sort) through a buffer: a record can go once no later one can be before it, that is once its time
     * is at most the latest time read so far less the file's lateness.
     */
    private final class Streamed extends Source {
        private final PriorityQueue<Waiting> buffer = new PriorityQueue<>(
                Comparator.comparingLong((Waiting w) -> w.record().timestamp()).thenComparingLong(Waiting::place));
        private Lines lines;
        private boolean ended;
        private long places;
        private long latest = Long.MIN_VALUE;
        private long previousTime = NO_TIME_YET;

        Streamed(Scan scan) {
            super(scan);
        }

        @Override
        BacktestInput.Stamped read() throws IOException {
            while (!ended && !ready()) {
                BacktestInput.Stamped r = readKept();
                if (r == null) {
                    ended = true;
                } else {
                    buffer.add(new Waiting(r, places++));
                    latest = Math.max(latest, r.timestamp());
                }
            }
            Waiting w = buffer.poll();
            if (w == null) {
                throw changed();
            }
            return w.record();
        }

        private boolean ready() {
            return !buffer.isEmpty()
                    && latest != Long.MIN_VALUE
                    && buffer.peek().record().timestamp() <= latest - scan.lateness();
        }

        /** The file's next kept record in file order, or null at its end. */
        private BacktestInput.Stamped readKept() throws IOException {
            if (lines == null) {
                lines = new Lines(scan.file());
                open.add(this);
            }
            for (byte[] value = lines.next(); value != null; value = lines.next()) {
                ParseResult parsed = parser.parse(value, null, hints);
                if (parsed.events().isEmpty()) {
                    if (noWindow()) {
                        return new BacktestInput.Stamped(
                                previousTime == NO_TIME_YET ? scan.firstTime() : previousTime, null, value);
                    }
                    continue;
                }
                long time = parsed.events().get(0).epochMillis();
                previousTime = time;
                if (inWindow(time)) {
                    return new BacktestInput.Stamped(time, key(parsed), value);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            if (lines != null) {
                open.remove(this);
                lines.close();
                lines = null;
            }
        }
    }

    /** A file read whole and sorted as {@link BacktestInput} does, when the merge reaches its first record. */
    private final class InMemory extends Source {
        private List<BacktestInput.Stamped> records;
        private int taken;

        InMemory(Scan scan) {
            super(scan);
        }

        @Override
        BacktestInput.Stamped read() throws IOException {
            if (records == null) {
                records = BacktestInput.load(List.of(scan.file()), settings, hints, from, to)
                        .records();
            }
            if (taken >= records.size()) {
                throw changed();
            }
            BacktestInput.Stamped r = records.get(taken);
            records.set(taken++, null); // taken records can go
            return r;
        }

        @Override
        public void close() {
            records = List.of();
        }
    }

    /**
     * The non-blank lines of a file, without their line ends, as {@link RecordReader} reads a file that is not
     * one document ({@code .gz} gunzipped): a line is blank when it holds only spaces, tabs and line ends.
     */
    static final class Lines implements Closeable {
        private static final int KEEP_LINE_BUFFER = 64 << 10;
        private final InputStream in;
        private final byte[] buf = new byte[BUFFER_BYTES];
        private ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        private int pos;
        private int end;
        private boolean ended;

        Lines(Path file) throws IOException {
            InputStream raw = Files.newInputStream(file);
            try {
                this.in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, BUFFER_BYTES) : raw;
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        /** The next non-blank line, or null at the end. */
        byte[] next() throws IOException {
            for (byte[] bytes = rawLine(); bytes != null; bytes = rawLine()) {
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                for (int i = 0; i < length; i++) {
                    byte c = bytes[i];
                    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                        return length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
                    }
                }
            }
            return null;
        }

        /** The bytes up to the next '\n' (left out), the rest of the file when it ends without one, or null. */
        private byte[] rawLine() throws IOException {
            if (line.size() > KEEP_LINE_BUFFER) {
                line = new ByteArrayOutputStream(1024); // one long line does not keep its buffer
            }
            line.reset();
            while (true) {
                if (pos == end) {
                    int n = ended ? -1 : in.read(buf);
                    if (n <= 0) {
                        ended = true;
                        return line.size() > 0 ? line.toByteArray() : null;
                    }
                    pos = 0;
                    end = n;
                }
                for (int i = pos; i < end; i++) {
                    if (buf[i] == '\n') {
                        line.write(buf, pos, i - pos);
                        pos = i + 1;
                        return line.toByteArray();
                    }
                }
                line.write(buf, pos, end - pos);
                pos = end;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
