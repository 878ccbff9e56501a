package io.fnwatch.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.io.IOException;

/**
 * Streams the three platform records of Lambda's JSON log format that every invocation writes
 * ({@code {"time","type":"platform.initStart|platform.start|platform.report","record":{…}}}) without building a
 * tree: they are a fifth of a JSON-format fleet's lines, and the tree was most of their cost. It reads exactly
 * what {@link LambdaMessages}' tree reading reads from them, and gives up (false, the builder untouched) on
 * anything else — another type, another top-level field, a value of an unexpected kind, malformed JSON — for
 * the tree to decide as before.
 */
final class PlatformRecords {

    private static final int INIT_START = 1;
    private static final int START = 2;
    private static final int REPORT = 3;

    private final JsonFactory json;

    // the record's fields, reset per message; a second "record" or "metrics" object replaces the first (as in a tree)
    private String requestId;
    private String version;
    private String runtimeVersion;
    private String functionVersion;
    private String status;
    private String errorType;
    private final Double[] metrics = new Double[METRICS.length];

    private static final String[] METRICS = {
        "durationMs", "billedDurationMs", "memorySizeMB", "maxMemoryUsedMB", "initDurationMs"
    };

    PlatformRecords(JsonFactory json) {
        this.json = json;
    }

    /** True when {@code m} is one of the three records; {@code b} is then filled as the tree reading fills it. */
    boolean read(String m, FunctionEvent.Builder b) {
        int type = 0;
        boolean sawRecord = false;
        try (JsonParser p = json.createParser(m)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "time" -> {
                        if (v.isStructStart()) {
                            p.skipChildren();
                        }
                    }
                    case "type" -> {
                        if (v != JsonToken.VALUE_STRING) {
                            return false;
                        }
                        type = typeOf(p.getText());
                        if (type == 0) {
                            return false;
                        }
                    }
                    case "record" -> {
                        if (v != JsonToken.START_OBJECT || !record(p)) {
                            return false;
                        }
                        sawRecord = true;
                    }
                    default -> {
                        return false;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (type == 0) {
            return false;
        }
        if (!sawRecord) {
            clear();
        }
        fill(type, b);
        return true;
    }

    private static int typeOf(String type) {
        return switch (type) {
            case "platform.initStart" -> INIT_START;
            case "platform.start" -> START;
            case "platform.report" -> REPORT;
            default -> 0;
        };
    }

    private void clear() {
        requestId = version = runtimeVersion = functionVersion = status = errorType = null;
        java.util.Arrays.fill(metrics, null);
    }

    private boolean record(JsonParser p) throws IOException {
        clear();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("metrics")) {
                java.util.Arrays.fill(metrics, null);
                if (v == JsonToken.START_OBJECT) {
                    if (!metrics(p)) {
                        return false;
                    }
                } else if (v.isStructStart()) {
                    p.skipChildren();
                }
                continue;
            }
            String text;
            if (v == JsonToken.VALUE_STRING) {
                text = p.getText();
            } else if (v == JsonToken.VALUE_NULL) {
                text = null;
            } else if (v.isStructStart()) {
                p.skipChildren();
                text = null;
            } else if (isRead(name)) {
                return false; // a number or boolean where text is expected: the tree's asText decides
            } else {
                continue;
            }
            switch (name) {
                case "requestId" -> requestId = text;
                case "version" -> version = text;
                case "runtimeVersion" -> runtimeVersion = text;
                case "functionVersion" -> functionVersion = text;
                case "status" -> status = text;
                case "errorType" -> errorType = text;
                default -> {}
            }
        }
        return true;
    }

    private static boolean isRead(String name) {
        return switch (name) {
            case "requestId", "version", "runtimeVersion", "functionVersion", "status", "errorType" -> true;
            default -> false;
        };
    }

    private boolean metrics(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            Double value = v.isNumeric() ? p.getDoubleValue() : null;
            if (v.isStructStart()) {
                p.skipChildren();
            }
            for (int i = 0; i < METRICS.length; i++) {
                if (METRICS[i].equals(name)) {
                    metrics[i] = value;
                }
            }
        }
        return true;
    }

    private void fill(int type, FunctionEvent.Builder b) {
        switch (type) {
            case INIT_START -> {
                b.kind = EventKind.INIT;
                b.coldStart = true;
                b.runtime = runtimeVersion;
                b.version = functionVersion != null ? functionVersion : b.version;
            }
            case START -> {
                b.kind = EventKind.START;
                b.requestId = requestId;
                b.version = version != null ? version : b.version;
            }
            default -> {
                b.kind = EventKind.INVOCATION;
                b.requestId = requestId;
                b.durationMs = metrics[0];
                b.billedDurationMs = metrics[1];
                b.memorySizeMb = NumericFields.megabytes(metrics[2]);
                b.maxMemoryUsedMb = NumericFields.megabytes(metrics[3]);
                b.initDurationMs = metrics[4];
                b.coldStart = b.initDurationMs != null;
                b.status = status == null || "success".equals(status)
                        ? FunctionEvent.SUCCESS
                        : "timeout".equals(status) ? FunctionEvent.TIMEOUT : FunctionEvent.ERROR;
                b.errorType = errorType;
            }
        }
    }
}
