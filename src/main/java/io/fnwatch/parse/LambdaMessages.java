package io.fnwatch.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.io.IOException;

/**
 * Reads one Lambda log message, in either log format: plain text (START/END/REPORT/INIT_START lines and
 * application lines) or the JSON log format ({@code platform.initStart}, {@code platform.start},
 * {@code platform.report} and application records {@code {timestamp, level, requestId, message}}).
 */
public final class LambdaMessages {

    private final LambdaLineParser lines = new LambdaLineParser();
    private final ObjectMapper json;

    LambdaMessages(ObjectMapper json) {
        this.json = json;
    }

    /** Fills {@code b} from {@code message}; the caller has set identity, time and source. */
    public void read(String message, FunctionEvent.Builder b) {
        String m = stripNewline(message);
        if (m.startsWith("{") && m.endsWith("}")) {
            try {
                JsonNode doc = json.readTree(m);
                if (doc != null && doc.isObject() && readJson(doc, b)) {
                    return;
                }
            } catch (IOException e) {
                // not JSON after all: an application line that happens to start with a brace
            }
        }
        lines.parse(m, b);
    }

    private boolean readJson(JsonNode doc, FunctionEvent.Builder b) {
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
                    b.message = doc.toString();
                    return true;
                }
                if (!doc.has("message") && !doc.has("level")) {
                    return false;
                }
                b.requestId = text(doc, "requestId");
                JsonNode msg = doc.path("message");
                lines.applicationLine(msg.isTextual() ? msg.asText() : doc.toString(), b);
                if (b.kind == EventKind.LOG && "ERROR".equalsIgnoreCase(text(doc, "level"))) {
                    b.errorType = text(doc, "errorType");
                }
            }
        }
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
