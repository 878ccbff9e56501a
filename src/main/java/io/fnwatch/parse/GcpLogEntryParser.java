package io.fnwatch.parse;

import static io.fnwatch.parse.LambdaMessages.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Google Cloud LogEntry ({@code logName} or {@code resource.type}, with {@code timestamp} or
 * {@code receiveTimestamp}) of a Cloud Function: gen1 ({@code cloud_function}, labels {@code function_name},
 * {@code region}) or gen2, which runs as a Cloud Run service ({@code cloud_run_revision}, labels
 * {@code service_name}, {@code location}, {@code revision_name}). Gen1 completion lines and gen2 request logs
 * are the invocations; Cloud Audit Logs whose status is 7 (PERMISSION_DENIED) are denials.
 */
final class GcpLogEntryParser implements ShapeParser {

    /** "…took 4718 ms, finished with status code: 200", "…took 1198 ms. Finished with status: 'crash'". */
    private static final Pattern COMPLETION = Pattern.compile(
            "(?i)function execution took (\\d+(?:\\.\\d+)?) ms[,.] finished with status(?: code)?: '?([\\w ]+)");

    private static final String STARTED = "Function execution started";
    /** What Cloud Run writes when it kills a request at the service's timeout (gen2 has no completion line). */
    private static final String RUN_TIMEOUT = "reached the maximum request timeout";

    private static final Set<String> SEVERE = Set.of("ERROR", "CRITICAL", "ALERT", "EMERGENCY");
    private static final int PERMISSION_DENIED = 7;

    @Override
    public boolean accepts(JsonNode doc) {
        return (doc.has("logName") || doc.path("resource").has("type"))
                && (doc.has("timestamp") || doc.has("receiveTimestamp"));
    }

    @Override
    public void parse(JsonNode doc, ParseContext ctx, ParseOutput out) {
        String source = text(doc, "logName") != null ? text(doc, "logName") : "gcp";
        String time = text(doc, "timestamp") != null ? text(doc, "timestamp") : text(doc, "receiveTimestamp");
        Instant t = Timestamps.iso(time);
        if (time == null) {
            out.reject(Reason.MISSING_FIELD, "timestamp is missing", source);
        } else if (t == null) {
            out.reject(Reason.BAD_FIELD, "timestamp is not RFC 3339: " + Timestamps.shown(time), source);
        } else {
            FunctionEvent.Builder b = identity(doc, t, source);
            JsonNode proto = doc.path("protoPayload");
            if (String.valueOf(text(proto, "@type")).endsWith(".AuditLog")) {
                audit(proto, b);
            } else {
                entry(doc, b);
            }
            out.add(b);
        }
    }

    private static FunctionEvent.Builder identity(JsonNode doc, Instant t, String source) {
        JsonNode labels = doc.path("resource").path("labels");
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.provider = "gcp";
        b.account = label(labels, "project_id");
        b.region = orElse(label(labels, "region"), label(labels, "location"));
        b.function = orElse(label(labels, "function_name"), label(labels, "service_name"));
        b.version = label(labels, "revision_name");
        b.timestamp = t;
        b.source = source;
        b.requestId = orElse(text(doc.path("labels"), "execution_id"), traceId(text(doc, "trace")));
        return b;
    }

    private static void entry(JsonNode doc, FunctionEvent.Builder b) {
        String text = payload(doc);
        JsonNode http = doc.path("httpRequest");
        Matcher completion = text == null ? null : COMPLETION.matcher(text);
        if (completion != null && completion.find()) {
            b.kind = EventKind.INVOCATION;
            b.durationMs = NumericFields.decimal(completion.group(1));
            b.status = completionStatus(completion.group(2));
            b.message = text;
        } else if (http.path("status").canConvertToInt()) {
            request(http, text, b);
        } else if (text == null) {
            b.kind = EventKind.LOG;
        } else if (text.startsWith(STARTED)) {
            b.kind = EventKind.START;
            b.message = text;
        } else if (text.contains(RUN_TIMEOUT)) {
            b.kind = EventKind.ERROR;
            b.status = FunctionEvent.TIMEOUT;
            b.message = text;
        } else {
            ProviderLines.classify(text, SEVERE.contains(text(doc, "severity")), b);
        }
    }

    /**
     * A request log: one invocation. A 403 here is the caller's, not a call the function made. Cloud Run puts
     * its reason for a 5xx it produced itself (the timeout, no instance available) in the entry's text.
     */
    private static void request(JsonNode http, String text, FunctionEvent.Builder b) {
        int code = http.path("status").asInt();
        b.kind = EventKind.INVOCATION;
        b.status = code < 500
                ? FunctionEvent.SUCCESS
                : text != null && text.contains(RUN_TIMEOUT) ? FunctionEvent.TIMEOUT : FunctionEvent.ERROR;
        b.durationMs = milliseconds(text(http, "latency"));
        b.message = text != null
                ? text
                : Stream.of(text(http, "requestMethod"), String.valueOf(code), text(http, "requestUrl"))
                        .filter(Objects::nonNull)
                        .collect(Collectors.joining(" "));
    }

    private static void audit(JsonNode proto, FunctionEvent.Builder b) {
        JsonNode status = proto.path("status");
        String method = text(proto, "methodName");
        String resource = text(proto, "resourceName");
        if (status.path("code").asInt() == PERMISSION_DENIED
                || status.toString().contains("PERMISSION_DENIED")) {
            b.kind = EventKind.PERMISSION_DENIED;
            b.principal = text(proto.path("authenticationInfo"), "principalEmail");
            b.action = method;
            b.resource = resource;
            b.message = orElse(text(status, "message"), method);
        } else {
            b.kind = EventKind.LOG;
            b.message = resource == null ? method : method + " " + resource;
        }
    }

    private static String payload(JsonNode doc) {
        String text = text(doc, "textPayload");
        JsonNode json = doc.path("jsonPayload");
        if (text == null && json.isObject() && !json.isEmpty()) {
            text = json.path("message").isTextual() ? json.get("message").asText() : json.toString();
        }
        return text == null ? null : LambdaMessages.stripNewline(text);
    }

    /** Numeric codes of HTTP functions count like request logs (a 404 is the function answering); words are
     *  the background functions' ({@code ok}, {@code timeout}, {@code crash}, {@code connection error}). */
    static String completionStatus(String status) {
        String s = status.trim().toLowerCase(Locale.ROOT);
        if (s.equals("ok")) {
            return FunctionEvent.SUCCESS;
        } else if (s.equals("timeout")) {
            return FunctionEvent.TIMEOUT;
        } else if (!s.isEmpty() && s.length() <= 3 && s.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(s) < 500 ? FunctionEvent.SUCCESS : FunctionEvent.ERROR;
        }
        return FunctionEvent.ERROR;
    }

    /**
     * A protobuf Duration in JSON ("0.123s") in milliseconds; null when absent or not a plain decimal, NaN (the
     * event is then rejected) when longer than {@link NumericFields#MAX_CHARS}.
     */
    static Double milliseconds(String duration) {
        if (duration == null || !duration.endsWith("s")) {
            return null;
        }
        String seconds = duration.substring(0, duration.length() - 1);
        Double checked = NumericFields.decimal(seconds);
        // exact decimal shift, then one rounding: "0.1s" is 100.0 ms, not 100.00000000000001
        if (checked == null || checked.isNaN()) {
            return checked;
        }
        return new BigDecimal(seconds).movePointRight(3).doubleValue();
    }

    /** "projects/P/traces/06796866…" → "06796866…": the id that gen2 request and stdout entries share. */
    private static String traceId(String trace) {
        return trace == null ? null : trace.substring(trace.lastIndexOf('/') + 1);
    }

    /** Audit entries of a Cloud Run service carry empty revision labels. */
    private static String label(JsonNode labels, String name) {
        String value = text(labels, name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static String orElse(String a, String b) {
        return a != null ? a : b;
    }
}
