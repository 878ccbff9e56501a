package io.fnwatch.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.FunctionEvent;
import java.io.IOException;
import java.time.Instant;

/**
 * Parses one CloudWatch Logs event in the FilterLogEvents shape plus its group ({@code logGroup},
 * {@code logStream}, {@code timestamp}, {@code message}; optional {@code eventId}, {@code ingestionTime},
 * and fnwatch's {@code account}/{@code owner}, {@code region}, {@code tenant}). Streams the JSON instead of
 * building a tree: this runs once per log line.
 */
final class CloudWatchEventParser {

    private static final String LAMBDA_PREFIX = "/aws/lambda/";

    private final JsonFactory json;
    private final ParserSettings settings;
    private final LambdaLineParser lines;

    CloudWatchEventParser(JsonFactory json, ParserSettings settings) {
        this.json = json;
        this.settings = settings;
        this.lines = new LambdaLineParser(settings.maxMessageChars());
    }

    ParseResult parse(byte[] bytes) {
        Fields f = new Fields();
        try (JsonParser p = json.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return ParseResult.reject(Reason.UNKNOWN_FORMAT, "not a JSON object", null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                f.set(name, value, p);
            }
        } catch (IOException | NumberFormatException e) {
            return ParseResult.reject(Reason.BAD_JSON, oneLine(e.getMessage()), f.logGroup);
        }
        return toEvent(f);
    }

    private ParseResult toEvent(Fields f) {
        if (f.logGroup == null && f.message == null) {
            return ParseResult.reject(Reason.UNKNOWN_FORMAT, "no logGroup or message field", null);
        }
        String source = f.logStream == null ? f.logGroup : f.logGroup + ":" + f.logStream;
        if (f.logGroup == null || f.logGroup.isEmpty()) {
            return ParseResult.reject(Reason.MISSING_FIELD, "logGroup is missing", source);
        }
        if (f.timestamp == null) {
            return ParseResult.reject(Reason.MISSING_FIELD, "timestamp is missing or not a number", source);
        }
        if (f.message == null) {
            return ParseResult.reject(Reason.MISSING_FIELD, "message is missing", source);
        }
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.tenant = f.tenant == null ? settings.defaultTenant() : f.tenant;
        b.provider = "aws";
        b.account = f.account;
        b.region = f.region;
        b.function = functionOf(f.logGroup);
        b.version = versionOf(f.logStream);
        b.timestamp = Instant.ofEpochMilli(f.timestamp);
        b.source = source;
        lines.parse(stripNewline(f.message), b);
        return ParseResult.of(b.build());
    }

    static String functionOf(String logGroup) {
        return logGroup.startsWith(LAMBDA_PREFIX) ? logGroup.substring(LAMBDA_PREFIX.length()) : logGroup;
    }

    /** Log streams are named {@code YYYY/MM/DD/[VERSION]instance}. */
    static String versionOf(String logStream) {
        if (logStream == null) {
            return null;
        }
        int open = logStream.indexOf('[');
        int close = logStream.indexOf(']', open + 1);
        return open >= 0 && close > open + 1 ? logStream.substring(open + 1, close) : null;
    }

    private static String stripNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "malformed JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The top-level scalars we read; anything else is skipped. */
    private static final class Fields {
        String logGroup;
        String logStream;
        String message;
        Long timestamp;
        String account;
        String region;
        String tenant;

        void set(String name, JsonToken value, JsonParser p) throws IOException {
            switch (name) {
                case "logGroup" -> logGroup = p.getValueAsString();
                case "logStream", "logStreamName" -> logStream = p.getValueAsString();
                case "message" -> message = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                case "timestamp" -> timestamp = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                case "account", "owner" -> account = p.getValueAsString();
                case "region" -> region = p.getValueAsString();
                case "tenant" -> tenant = p.getValueAsString();
                default -> { }
            }
        }
    }
}
