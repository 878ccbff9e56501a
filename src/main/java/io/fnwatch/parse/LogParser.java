package io.fnwatch.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The one entry point from bytes to events: opens gzip, detects the document's shape by its top-level
 * fields and hands it to that shape's parser. {@code parse}, {@code replay}, the topology and HTTP ingest
 * all use it. Pure and thread-confined per instance; never throws on bad input. One {@link ParseBudget} bounds
 * the work of each input across all its nesting levels, and Jackson's read constraints bound each document.
 */
public final class LogParser {

    private static final int MAX_DEPTH = 4;
    /** Real log documents nest a handful of levels; structured application logs rarely twenty. */
    static final int MAX_JSON_NESTING = 100;
    /** Digits of one JSON number: 17 make a double; long ids are strings in every provider's format. */
    static final int MAX_JSON_NUMBER_CHARS = 100;

    static final int MAX_JSON_NAME_CHARS = 4096;

    /** How the dead letter of an input that made a parser throw begins: a bug to report, not a bad input. */
    static final String PARSER_BUG = "parser failed on this input (please report): ";

    private final ParserSettings settings;
    private final JsonFactory factory;
    private final ObjectMapper json;
    private final CloudWatchEventParser cloudWatchEvents;
    private final Redactor redactor = new Redactor();
    private final LambdaMessages lambda;
    private final List<ShapeParser> shapes;

    public LogParser(ParserSettings settings) {
        this.settings = settings;
        this.json = Json.withReadLimits(readLimits(settings));
        this.factory = json.getFactory();
        this.cloudWatchEvents = new CloudWatchEventParser(factory);
        this.lambda = new LambdaMessages(json);
        this.shapes = List.of(
                new Base64Envelopes.AwsLogs(),
                new SubscriptionPayloadParser(),
                new Base64Envelopes.Firehose(),
                new Base64Envelopes.Kinesis(),
                new PubSubPushParser(),
                new AzureRecordsParser(),
                new CloudTrailParser(),
                new GcpLogEntryParser(),
                cloudWatchEvents);
    }

    /**
     * Jackson's limits, set on purpose rather than inherited: the longest string a real document holds is the
     * base64 of a full Firehose record (1,024,000 bytes, 1.37 M characters) or one log event (1 MiB), so strings
     * stop at 2 M characters, or at what the record size allows when that is raised.
     */
    static StreamReadConstraints readLimits(ParserSettings settings) {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_JSON_NESTING)
                .maxNumberLength(MAX_JSON_NUMBER_CHARS)
                .maxNameLength(MAX_JSON_NAME_CHARS)
                .maxStringLength(Math.max(2 << 20, settings.maxRecordBytes() / 3 * 4 + 4))
                .build();
    }

    /** A document past Jackson's limits is too large, not malformed. */
    static Reason jsonReason(IOException e) {
        return e instanceof StreamConstraintsException ? Reason.TOO_LARGE : Reason.BAD_JSON;
    }

    /** Parses as the default tenant's logs. */
    public ParseResult parse(byte[] bytes) {
        return parse(bytes, null);
    }

    /**
     * Parses with every event's tenant set to {@code tenant} (null: the default tenant), whatever the payload
     * says: the tenant comes from the credentials that wrote the record (its raw topic, an ingest key's
     * tenant), never from the payload.
     */
    public ParseResult parse(byte[] bytes, String tenant) {
        return parse(bytes, tenant, SourceHints.NONE);
    }

    /**
     * As {@link #parse(byte[], String)}, with what the record's source knows of it ({@code hints}: the AWS region of
     * the ingest request or puller), used where the payload names nothing itself.
     */
    public ParseResult parse(byte[] bytes, String tenant, SourceHints hints) {
        ParseOutput out = new ParseOutput(
                settings,
                redactor,
                tenant == null ? settings.defaultTenant() : tenant,
                bytes == null ? 0 : bytes.length);
        try {
            parse(bytes, null, hints == null ? null : hints.region(), out, 0);
        } catch (ParseBudget.Exceeded e) {
            // the whole record, once: its partial events are dropped, the dead letter keeps all of it
            return ParseResult.reject(Reason.TOO_LARGE, e.getMessage(), null);
        } catch (StackOverflowError e) {
            return ParseResult.reject(
                    Reason.PROCESSING_ERROR, "input too deeply nested to read (stack overflow)", null);
        }
        ParseResult result = out.result();
        if (result.events().isEmpty() && result.rejections().isEmpty() && result.skipped() == 0) {
            // an envelope with nothing inside still leaves a trace
            return ParseResult.reject(Reason.MISSING_FIELD, "payload holds no log events", null);
        }
        return result;
    }

    private void parse(byte[] bytes, String source, String region, ParseOutput out, int depth) {
        try {
            dispatch(bytes, source, region, out, depth);
        } catch (ParseBudget.Exceeded e) {
            throw e;
        } catch (RuntimeException e) {
            // A parser bug must not stop the stream: the record is dead-lettered with its cause.
            out.reject(Reason.BAD_FIELD, PARSER_BUG + e.getClass().getSimpleName() + ": " + e.getMessage(), source);
        }
    }

    private void dispatch(byte[] bytes, String source, String region, ParseOutput out, int depth) {
        if (bytes == null || bytes.length == 0) {
            out.reject(Reason.UNKNOWN_FORMAT, "empty record", source);
        } else if (bytes.length > settings.maxRecordBytes() && depth == 0) {
            out.reject(
                    Reason.TOO_LARGE,
                    "record of " + bytes.length + " bytes exceeds " + settings.maxRecordBytes(),
                    source);
        } else if (depth > MAX_DEPTH) {
            out.reject(Reason.UNKNOWN_FORMAT, "envelopes nested more than " + MAX_DEPTH + " deep", source);
        } else if (Gzip.isGzip(bytes)) {
            out.budget().payload();
            byte[] inflated = gunzip(bytes, source, out);
            if (inflated != null) {
                parse(inflated, source, region, out, depth + 1);
            }
        } else {
            int first = firstNonBlank(bytes);
            if (first < 0) {
                out.reject(Reason.UNKNOWN_FORMAT, "blank record", source);
            } else if (bytes[first] == '{') {
                if (!cloudWatchEvents.tryParse(bytes, context(depth, region), out)) {
                    tree(bytes, source, region, out, depth);
                }
            } else if (bytes[first] == '[') {
                tree(bytes, source, region, out, depth);
            } else {
                out.reject(
                        Reason.UNKNOWN_FORMAT,
                        "neither a JSON object or array nor gzip: input shape not recognised",
                        source);
            }
        }
    }

    private void tree(byte[] bytes, String source, String region, ParseOutput out, int depth) {
        JsonNode doc;
        try {
            doc = json.readTree(bytes);
        } catch (IOException e) {
            out.reject(jsonReason(e), CloudWatchEventParser.firstLine(e.getMessage()), source);
            return;
        }
        if (doc.isArray()) {
            if (doc.size() > settings.maxRecordsPerPayload()) {
                out.reject(
                        Reason.TOO_LARGE,
                        doc.size() + " array elements exceed " + settings.maxRecordsPerPayload(),
                        source);
                return;
            }
            doc.forEach(element -> document(element, source, region, out, depth));
        } else {
            document(doc, source, region, out, depth);
        }
    }

    private void document(JsonNode doc, String source, String region, ParseOutput out, int depth) {
        if (doc.isObject()) {
            for (ShapeParser shape : shapes) {
                if (shape.accepts(doc)) {
                    shape.parse(doc, context(depth, region), out);
                    return;
                }
            }
        }
        out.reject(Reason.UNKNOWN_FORMAT, "no known log shape has these fields", source);
    }

    private ParseContext context(int depth, String region) {
        return new ParseContext() {
            @Override
            public ParserSettings settings() {
                return settings;
            }

            @Override
            public LambdaMessages lambda() {
                return lambda;
            }

            @Override
            public String region() {
                return region;
            }

            @Override
            public void parseNested(byte[] nested, String source, String named, ParseOutput out) {
                out.budget().payload();
                parse(nested, source, named != null ? named : region, out, depth + 1);
            }
        };
    }

    /**
     * Inflates into one buffer sized by the gzip trailer's length (capped by what the budget allows, so a lying
     * trailer costs no more than an honest one), charging every byte to the record's budget as it comes.
     */
    private byte[] gunzip(byte[] bytes, String source, ParseOutput out) {
        ParseBudget budget = out.budget();
        long most = budget.inflatable() + 1; // one byte past the budget is enough to know it is spent
        int n = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 8192)) {
            byte[] buf = new byte[(int) Math.min(most, Math.max(1024, trailerLength(bytes)))];
            while (true) {
                if (n == buf.length) {
                    int next = in.read();
                    if (next < 0) {
                        return buf;
                    }
                    budget.inflated(1);
                    buf = Arrays.copyOf(buf, (int) Math.min(most, Math.max(2L * n, n + 8192L)));
                    buf[n++] = (byte) next;
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    return n == buf.length ? buf : Arrays.copyOf(buf, n);
                }
                n += r;
                budget.inflated(r);
            }
        } catch (IOException e) {
            out.reject(Reason.BAD_GZIP, String.valueOf(e.getMessage()), source);
            return null;
        }
    }

    /** ISIZE: the inflated length mod 2^32 of the last gzip member, as the sender claims it. */
    private static long trailerLength(byte[] gz) {
        int t = gz.length - 4;
        return t < 10
                ? 0
                : (gz[t] & 0xffL) | (gz[t + 1] & 0xffL) << 8 | (gz[t + 2] & 0xffL) << 16 | (gz[t + 3] & 0xffL) << 24;
    }

    private static int firstNonBlank(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            byte c = bytes[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return i;
            }
        }
        return -1;
    }
}
