package io.fnwatch.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fnwatch.model.DeadLetter.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The one entry point from bytes to events: opens gzip, detects the document's shape by its top-level
 * fields and hands it to that shape's parser. {@code parse}, {@code replay}, the topology and HTTP ingest
 * all use it. Pure and thread-confined per instance; never throws on bad input.
 */
public final class LogParser {

    private static final int MAX_DEPTH = 4;

    private final ParserSettings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final CloudWatchEventParser cloudWatchEvents = new CloudWatchEventParser(new JsonFactory());
    private final Redactor redactor = new Redactor();
    private final LambdaMessages lambda = new LambdaMessages(json);
    private final List<ShapeParser> shapes = List.of(
            new Base64Envelopes.AwsLogs(),
            new SubscriptionPayloadParser(),
            new Base64Envelopes.Firehose(),
            new PubSubPushParser(),
            new AzureRecordsParser(),
            new CloudTrailParser(),
            new GcpLogEntryParser(),
            cloudWatchEvents);

    public LogParser(ParserSettings settings) {
        this.settings = settings;
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
        ParseOutput out = new ParseOutput(settings, redactor, tenant == null ? settings.defaultTenant() : tenant);
        parse(bytes, null, out, 0);
        ParseResult result = out.result();
        if (result.events().isEmpty() && result.rejections().isEmpty() && result.skipped() == 0) {
            // an envelope with nothing inside still leaves a trace
            return ParseResult.reject(Reason.MISSING_FIELD, "payload holds no log events", null);
        }
        return result;
    }

    private void parse(byte[] bytes, String source, ParseOutput out, int depth) {
        try {
            dispatch(bytes, source, out, depth);
        } catch (RuntimeException e) {
            // A parser bug must not stop the stream: the record is dead-lettered with its cause.
            out.reject(Reason.BAD_FIELD, e.getClass().getSimpleName() + ": " + e.getMessage(), source);
        }
    }

    private void dispatch(byte[] bytes, String source, ParseOutput out, int depth) {
        if (bytes == null || bytes.length == 0) {
            out.reject(Reason.UNKNOWN_FORMAT, "empty record", source);
        } else if (bytes.length > settings.maxRecordBytes() && depth == 0) {
            out.reject(Reason.TOO_LARGE, "record of " + bytes.length + " bytes exceeds " + settings.maxRecordBytes(),
                    source);
        } else if (depth > MAX_DEPTH) {
            out.reject(Reason.UNKNOWN_FORMAT, "envelopes nested more than " + MAX_DEPTH + " deep", source);
        } else if (bytes.length > 1 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b) {
            byte[] inflated = gunzip(bytes, source, out);
            if (inflated != null) {
                parse(inflated, source, out, depth + 1);
            }
        } else {
            int first = firstNonBlank(bytes);
            if (first < 0) {
                out.reject(Reason.UNKNOWN_FORMAT, "blank record", source);
            } else if (bytes[first] == '{') {
                if (!cloudWatchEvents.tryParse(bytes, context(depth), out)) {
                    tree(bytes, source, out, depth);
                }
            } else if (bytes[first] == '[') {
                tree(bytes, source, out, depth);
            } else {
                out.reject(Reason.UNKNOWN_FORMAT, "neither a JSON object or array nor gzip: input shape not recognised", source);
            }
        }
    }

    private void tree(byte[] bytes, String source, ParseOutput out, int depth) {
        JsonNode doc;
        try {
            doc = json.readTree(bytes);
        } catch (IOException e) {
            out.reject(Reason.BAD_JSON, CloudWatchEventParser.firstLine(e.getMessage()), source);
            return;
        }
        if (doc.isArray()) {
            if (doc.size() > settings.maxRecordsPerPayload()) {
                out.reject(Reason.TOO_LARGE, doc.size() + " array elements exceed " + settings.maxRecordsPerPayload(),
                        source);
                return;
            }
            doc.forEach(element -> document(element, source, out, depth));
        } else {
            document(doc, source, out, depth);
        }
    }

    private void document(JsonNode doc, String source, ParseOutput out, int depth) {
        if (doc.isObject()) {
            for (ShapeParser shape : shapes) {
                if (shape.accepts(doc)) {
                    shape.parse(doc, context(depth), out);
                    return;
                }
            }
        }
        out.reject(Reason.UNKNOWN_FORMAT, "no known log shape has these fields", source);
    }

    private ParseContext context(int depth) {
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
            public void parseNested(byte[] nested, String source, ParseOutput out) {
                parse(nested, source, out, depth + 1);
            }
        };
    }

    private byte[] gunzip(byte[] bytes, String source, ParseOutput out) {
        int limit = settings.maxDecompressedBytes();
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes), 8192)) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(Math.min(limit, bytes.length * 8));
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (buf.size() + n > limit) {
                    out.reject(Reason.TOO_LARGE, "decompresses to more than " + limit + " bytes", source);
                    return null;
                }
                buf.write(chunk, 0, n);
            }
            return buf.toByteArray();
        } catch (IOException e) {
            out.reject(Reason.BAD_GZIP, String.valueOf(e.getMessage()), source);
            return null;
        }
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
