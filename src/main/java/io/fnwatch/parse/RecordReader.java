package io.fnwatch.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fnwatch.model.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Cuts a log file, a stream or a request body into raw records, the way {@code parse}, {@code replay},
 * {@code backtest} and the {@code /ndjson} endpoint all read their input: one record per non-blank line, unless
 * the whole input is one JSON object or array (any whitespace, as a CloudTrail log file is delivered to S3 or
 * pretty-printed by the console and {@code aws cloudtrail lookup-events}). Such a document becomes the records
 * it holds: the elements of a top-level array, or of an object whose only field is an array (CloudTrail's
 * {@code Records}, Azure's {@code records}, lookup-events' {@code Events}), each kept inside its wrapper, so that
 * every raw record stays small and about one function. Any other document, an empty batch included, is one
 * record, as written (so a one-line file reads exactly as it did line by line, and an empty envelope still
 * leaves its dead letter). An input that is not
 * one document (NDJSON, a malformed document) is read as lines, so nothing is lost: its bad lines become dead
 * letters with their reason.
 *
 * <p>Deciding costs one streaming scan of the first JSON value, which for NDJSON stops at the end of the first
 * line; only a real document is held in memory, up to {@link #MAX_DOCUMENT_BYTES}.
 */
public final class RecordReader {

    /** The largest input read as one document: a CloudTrail log file is a few MB; larger inputs are read as lines. */
    public static final int MAX_DOCUMENT_BYTES = 64 << 20;

    /** One raw record and where it was found: its (first) line number, or its index within a batch document. */
    public record Raw(byte[] value, long position, boolean inDocument) {
        /** {@code file:LINE} for a line or a whole document, {@code file#N} for the N-th record (from 1) of a batch. */
        public String where(String name) {
            return name + (inDocument ? "#" : ":") + position;
        }
    }

    /** Receives the records in input order. */
    @FunctionalInterface
    public interface Sink {
        void accept(Raw raw) throws IOException;
    }

    private final ObjectMapper json;
    private final int maxDocumentBytes;

    public RecordReader(ParserSettings settings) {
        this(settings, MAX_DOCUMENT_BYTES);
    }

    RecordReader(ParserSettings settings, int maxDocumentBytes) {
        this.json = Json.withReadLimits(LogParser.readLimits(settings));
        this.maxDocumentBytes = maxDocumentBytes;
    }

    /** Reads {@code in} to its end (the caller closes it). */
    public void read(InputStream in, Sink sink) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(maxDocumentBytes + 1);
        boolean document = holdsOneDocument(new Bounded(buffered, maxDocumentBytes));
        buffered.reset();
        if (document) {
            byte[] bytes = buffered.readNBytes(maxDocumentBytes);
            JsonNode doc = readOrNull(bytes);
            if (doc != null) {
                List<byte[]> batch = batch(doc);
                if (batch == null) {
                    sink.accept(new Raw(trim(bytes), firstLine(bytes), false));
                } else {
                    for (int i = 0; i < batch.size(); i++) {
                        sink.accept(new Raw(batch.get(i), i + 1, true));
                    }
                }
                return;
            }
            buffered.reset();
        }
        lines(buffered, sink);
    }

    /** The records of one request body or file held in memory. */
    public List<Raw> read(byte[] bytes) {
        List<Raw> out = new ArrayList<>();
        try {
            read(new ByteArrayInputStream(bytes), out::add);
        } catch (IOException e) {
            throw new IllegalStateException("reading memory cannot fail", e);
        }
        return out;
    }

    /**
     * Whether the input is exactly one JSON object or array followed by nothing but whitespace, read without
     * building it; an input past the bound reads as cut short, so is not a document.
     */
    private boolean holdsOneDocument(InputStream in) {
        try (JsonParser p = json.getFactory().createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException | RuntimeException e) {
            return false; // not JSON, more than one value, or past a read limit: lines then
        }
    }

    private JsonNode readOrNull(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            return null; // past a limit the streaming scan did not check: lines then
        }
    }

    /** The records of a batch (see the class comment), or null when the document is not one. */
    private static List<byte[]> batch(JsonNode doc) {
        List<byte[]> out = new ArrayList<>();
        if (doc.isArray() && !doc.isEmpty()) {
            doc.forEach(element -> out.add(compact(element)));
        } else if (isWrapper(doc)) {
            Map.Entry<String, JsonNode> only = doc.fields().next();
            for (Iterator<JsonNode> it = only.getValue().elements(); it.hasNext(); ) {
                ObjectNode one = Json.MAPPER.createObjectNode();
                one.putArray(only.getKey()).add(it.next());
                out.add(compact(one));
            }
        } else {
            return null;
        }
        return out;
    }

    /** The document as it was written, without the whitespace around it. */
    private static byte[] trim(byte[] bytes) {
        int from = 0;
        int to = bytes.length;
        while (from < to && blank(bytes[from])) {
            from++;
        }
        while (to > from && blank(bytes[to - 1])) {
            to--;
        }
        return from == 0 && to == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, from, to);
    }

    /** The line (from 1) the document starts on. */
    private static long firstLine(byte[] bytes) {
        long line = 1;
        for (int i = 0; i < bytes.length && blank(bytes[i]); i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static boolean blank(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** An object whose only field is a non-empty array of objects: a batch of records, each readable alone. */
    private static boolean isWrapper(JsonNode doc) {
        if (doc.size() != 1) {
            return false;
        }
        JsonNode array = doc.elements().next();
        if (!array.isArray() || array.isEmpty()) {
            return false;
        }
        for (JsonNode element : array) {
            if (!element.isObject()) {
                return false;
            }
        }
        return true;
    }

    private static byte[] compact(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Every non-blank line, as its bytes without the line end; blank lines still count in the positions. */
    private static void lines(InputStream in, Sink sink) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        long number = 0;
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    line.write(buf, start, i - start);
                    emit(line, ++number, sink);
                    start = i + 1;
                }
            }
            line.write(buf, start, n - start);
        }
        if (line.size() > 0) {
            emit(line, ++number, sink);
        }
    }

    private static void emit(ByteArrayOutputStream line, long number, Sink sink) throws IOException {
        byte[] bytes = line.toByteArray();
        line.reset();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        for (int i = 0; i < end; i++) {
            if (!blank(bytes[i])) {
                sink.accept(new Raw(end == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, end), number, false));
                return;
            }
        }
    }

    /** Reads at most {@code limit} bytes, then reports the end of the input. */
    private static final class Bounded extends FilterInputStream {
        private long left;

        Bounded(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = super.read();
            if (c >= 0) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int r = super.read(b, off, (int) Math.min(len, left));
            if (r > 0) {
                left -= r;
            }
            return r;
        }

        @Override
        public void close() {
            // the caller's stream stays open
        }
    }
}
