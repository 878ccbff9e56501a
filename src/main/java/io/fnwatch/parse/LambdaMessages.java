package io.fnwatch.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.io.IOException;

/**
 * Reads one Lambda log message, in either log format: plain text (START/END/REPORT/INIT_START lines and
 * application lines) or the JSON log format ({@code platform.initStart}, {@code platform.start},
 * {@code platform.report} and application records {@code {timestamp, level, requestId, message}}), and
 * Embedded Metric Format records ({@link EmbeddedMetrics}) in either.
 */
public final class LambdaMessages {

    private final LambdaLineParser lines = new LambdaLineParser();
    private final ObjectMapper json;
    private final PlatformRecords platform;

    LambdaMessages(ObjectMapper json) {
        this.json = json;
        this.platform = new PlatformRecords(json.getFactory());
    }

    /** Fills {@code b} from {@code message}; the caller has set identity, time and source. */
    public void read(String message, FunctionEvent.Builder b) {
        if (LambdaLineParser.isPlatformLine(message)) {
            lines.parse(message, b); // its fields are trimmed: the trailing newline needs no copy to drop
            return;
        }
        String m = stripNewline(message);
        if (m.startsWith("{") && m.endsWith("}") && (platform.read(m, b) || readTree(m, b))) {
            return;
        }
        lines.parse(m, b);
    }

    /** Reads a JSON-format message through a tree: every record but the three {@link PlatformRecords} streams. */
    boolean readTree(String m, FunctionEvent.Builder b) {
        try {
            JsonNode doc = json.readTree(m);
            return doc != null && doc.isObject() && readJson(doc, m, b);
        } catch (IOException e) {
            return false; // not JSON after all: an application line that happens to start with a brace
        }
    }

    private boolean readJson(JsonNode doc, String text, FunctionEvent.Builder b) {
        String type = doc.path("type").asText("");
        JsonNode record = doc.path("record");
        switch (type) {
            case "platform.initStart" -> {
                b.kind = EventKind.INIT;
                b.coldStart = true;
                b.runtime = text(record, "runtimeVersion");
                b.version = orElse(text(record, "functionVersion"), b.version);
            }
            case "platform.start" -> {
                b.kind = EventKind.START;
                b.requestId = text(record, "requestId");
                b.version = orElse(text(record, "version"), b.version);
            }
            case "platform.report" -> report(record, b);
            default -> {
                if (type.startsWith("platform.")) {
                    b.kind = EventKind.LOG;
                    b.requestId = text(record, "requestId");
                    b.message = text;
                    return true;
                }
                return EmbeddedMetrics.read(doc, text, b) || application(doc, text, b);
            }
        }
        return true;
    }

    /**
     * An application record of the JSON log format ({@code {timestamp, level, requestId, message}}; Java names
     * the id {@code AWSRequestId}), or an error document ({@code {errorType, errorMessage, stackTrace}}: Node's
     * and Python's uncaught errors, Java's, Ruby's). The record's level decides ERROR/FATAL; an error document
     * without a level is an error. The error type is the record's {@code errorType}, else that of an error
     * object in {@code message} (Node logs {@code console.error(err)} so), else read from the text.
     */
    private boolean application(JsonNode doc, String text, FunctionEvent.Builder b) {
        boolean errorDocument = doc.has("errorType") || doc.has("errorMessage");
        if (!doc.has("message") && !doc.has("level") && !errorDocument) {
            return false;
        }
        String id = orElse(text(doc, "requestId"), text(doc, "AWSRequestId"));
        b.requestId = LambdaLinePrefix.isUuid(id) ? id : null;
        JsonNode msg = doc.path("message");
        int level = AppLevel.of(text(doc, "level"));
        if (level == AppLevel.NONE && errorDocument) {
            level = AppLevel.ERROR;
        }
        String errorType = string(doc, "errorType");
        if (ErrorTypes.clean(errorType) == null && msg.isObject()) {
            errorType = string(msg, "errorType");
        }
        lines.classify(msg.isTextual() ? msg.asText() : text, 0, level, errorType, b);
        return true;
    }

    private static void report(JsonNode record, FunctionEvent.Builder b) {
        JsonNode metrics = record.path("metrics");
        b.kind = EventKind.INVOCATION;
        b.requestId = text(record, "requestId");
        b.durationMs = number(metrics, "durationMs");
        b.billedDurationMs = number(metrics, "billedDurationMs");
        b.memorySizeMb = NumericFields.megabytes(number(metrics, "memorySizeMB"));
        b.maxMemoryUsedMb = NumericFields.megabytes(number(metrics, "maxMemoryUsedMB"));
        b.initDurationMs = number(metrics, "initDurationMs");
        b.coldStart = b.initDurationMs != null;
        String status = text(record, "status");
        b.status = status == null || "success".equals(status)
                ? FunctionEvent.SUCCESS
                : "timeout".equals(status) ? FunctionEvent.TIMEOUT : FunctionEvent.ERROR;
        b.errorType = text(record, "errorType");
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    /** A string field only: an error type given as a number, object or null is no class name. */
    private static String string(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    static Double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isNumber() ? v.doubleValue() : null;
    }

    private static String orElse(String a, String b) {
        return a != null ? a : b;
    }

    static String stripNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }
}
