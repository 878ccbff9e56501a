package io.fnwatch.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.DeadLetter.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * One CloudWatch Logs event in the FilterLogEvents shape plus its group ({@code logGroup}, {@code logStream},
 * {@code timestamp}, {@code message}; optional {@code eventId}, {@code ingestionTime}, and fnwatch's
 * {@code account}/{@code owner}, {@code region}; a {@code tenant} field is ignored: the raw topic decides the
 * tenant). The hot path streams the JSON instead of
 * building a tree; documents with containers of other shapes are left to the tree parsers.
 */
final class CloudWatchEventParser implements ShapeParser {

    private static final Set<String> OTHER_SHAPES =
            Set.of("logEvents", "records", "Records", "awslogs", "message", "resource", "protoPayload", "userIdentity");

    private final JsonFactory json;

    CloudWatchEventParser(JsonFactory json) {
        this.json = json;
    }

    /** The top-level scalars we read; anything else is skipped. */
    private static final class Fields {
        String logGroup;
        String logStream;
        String message;
        Long timestamp;
        boolean badTimestamp;
        String account;
        String region;
        boolean otherShape;
        static final Set<String> READ =
                Set.of("logGroup", "logStream", "logStreamName", "message", "timestamp", "account", "owner", "region");

        void set(String name, JsonToken value, String text, long number) {
            switch (name) {
                case "logGroup" -> logGroup = text;
                case "logStream", "logStreamName" -> logStream = text;
                case "message" -> message = value == JsonToken.VALUE_NULL ? null : text;
                case "timestamp" -> {
                    timestamp = value == JsonToken.VALUE_NUMBER_INT ? number : null;
                    badTimestamp = value != JsonToken.VALUE_NUMBER_INT;
                }
                case "account", "owner" -> account = text;
                case "region" -> region = text;
                default -> {}
            }
        }
    }

    /**
     * Parses a flat CloudWatch event from bytes.
     *
     * @return false when the document is some other shape (the caller then builds a tree)
     */
    boolean tryParse(byte[] bytes, ParseContext ctx, ParseOutput out) {
        Fields f = new Fields();
        try (JsonParser p = json.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    f.otherShape |= OTHER_SHAPES.contains(name);
                    p.skipChildren();
                } else if (Fields.READ.contains(name)) {
                    // other scalars (eventId, ingestionTime, ...) are skipped unread: no String built for them
                    boolean integer = value == JsonToken.VALUE_NUMBER_INT;
                    f.set(
                            name,
                            value,
                            integer && name.equals("timestamp") ? null : p.getValueAsString(),
                            integer ? p.getLongValue() : 0);
                }
            }
            if (p.nextToken() != null) {
                out.reject(Reason.BAD_JSON, "trailing data after the JSON object", f.logGroup);
                return true;
            }
        } catch (IOException e) {
            out.reject(LogParser.jsonReason(e), firstLine(e.getMessage()), f.logGroup);
            return true;
        } catch (ParseBudget.Exceeded e) {
            throw e;
        } catch (RuntimeException e) {
            out.reject(Reason.BAD_JSON, firstLine(e.getMessage()), f.logGroup);
            return true;
        }
        if (f.otherShape || f.logGroup == null && f.message == null) {
            return false;
        }
        emit(f, ctx, out);
        return true;
    }

    @Override
    public boolean accepts(JsonNode doc) {
        return doc.has("logGroup") && doc.has("timestamp") && !doc.has("logEvents");
    }

    @Override
    public void parse(JsonNode doc, ParseContext ctx, ParseOutput out) {
        Fields f = new Fields();
        doc.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            JsonToken t = v.isNull()
                    ? JsonToken.VALUE_NULL
                    : v.canConvertToExactIntegral() && v.isIntegralNumber()
                            ? JsonToken.VALUE_NUMBER_INT
                            : JsonToken.VALUE_STRING;
            if (!v.isContainerNode()) {
                f.set(e.getKey(), t, v.asText(), v.asLong());
            }
        });
        emit(f, ctx, out);
    }

    private static void emit(Fields f, ParseContext ctx, ParseOutput out) {
        String source = f.logStream == null || f.logGroup == null ? f.logGroup : f.logGroup + ":" + f.logStream;
        if (f.logGroup == null || f.logGroup.isEmpty()) {
            out.reject(Reason.MISSING_FIELD, "logGroup is missing", source);
        } else if (f.timestamp == null) {
            out.reject(Reason.MISSING_FIELD, "timestamp is missing or not a number", source);
        } else if (f.message == null) {
            out.reject(Reason.MISSING_FIELD, "message is missing", source);
        } else if (CloudWatchEvents.isCloudTrailRecord(f.message)) {
            ctx.parseNested(f.message.getBytes(StandardCharsets.UTF_8), source, out);
        } else {
            var b = CloudWatchEvents.builder(
                    f.logGroup, f.logStream, f.timestamp, f.account, SourceHints.named(f.region, ctx.region()));
            ctx.lambda().read(f.message, b);
            out.add(b);
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "malformed JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
