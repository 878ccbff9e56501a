package io.fnwatch.parse;

import static io.fnwatch.parse.LambdaMessages.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Google Cloud LogEntry ({@code logName} or {@code resource.type}, with {@code timestamp} or
 * {@code receiveTimestamp}) of a Cloud Function or Cloud Run service: gen1 ({@code cloud_function}, labels
 * {@code function_name}, {@code region}) or Cloud Run and gen2 functions ({@code cloud_run_revision}, labels
 * {@code service_name}, {@code location}, {@code revision_name}). Gen1 completion lines and Cloud Run request
 * logs are the invocations; Cloud Audit Logs whose status is 7 (PERMISSION_DENIED) are denials of the function
 * or service they name; ERROR and worse severities, Error Reporting events and whole tracebacks are errors.
 * Every field may be absent, null or of another JSON type: such an entry loses that field, it never throws.
 */
final class GcpLogEntryParser implements ShapeParser {

    /** "…took 4718 ms, finished with status code: 200", "…took 1198 ms. Finished with status: 'crash'". */
    private static final Pattern COMPLETION = Pattern.compile(
            "(?i)function execution took (\\d+(?:\\.\\d+)?) ms[,.] finished with status(?: code)?: '?([\\w ]+)");

    private static final String STARTED = "Function execution started";
    /** What Cloud Run writes when it kills a request at the service's timeout (gen2 has no completion line). */
    private static final String RUN_TIMEOUT = "reached the maximum request timeout";

    private static final String REPORTED_ERROR = ".ReportedErrorEvent";
    /** Google's canonical code for a deadline hit (google.rpc.Code 4), as Lambda's timeouts are Sandbox.Timedout. */
    private static final String TIMEOUT_TYPE = "DEADLINE_EXCEEDED";

    /** LogSeverity names of ERROR and worse by their numbers (the JSON may carry either). */
    private static final Map<Integer, String> SEVERE =
            Map.of(500, "ERROR", 600, "CRITICAL", 700, "ALERT", 800, "EMERGENCY");

    private static final int PERMISSION_DENIED = 7;
    /** Longer resource names are not split into parts (a real one is under 300 characters). */
    private static final int MAX_RESOURCE_NAME = 1024;

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
                audit(doc, proto, b);
            } else {
                entry(doc, b);
            }
            out.add(b);
        }
    }

    /**
     * The function is the gen1 function or the Cloud Run service (a gen2 function is one), in its project and
     * region. The request id ties a request log to the lines the request printed: Cloud Run gives both the
     * same {@code trace}; gen1 gives its lines an {@code execution_id} label and has no request log.
     */
    private static FunctionEvent.Builder identity(JsonNode doc, Instant t, String source) {
        JsonNode resource = doc.path("resource");
        JsonNode labels = resource.path("labels");
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.provider = "gcp";
        b.account = label(labels, "project_id");
        b.region = orElse(label(labels, "region"), label(labels, "location"));
        b.function = orElse(label(labels, "function_name"), label(labels, "service_name"));
        b.version = label(labels, "revision_name");
        b.timestamp = t;
        b.source = source;
        String trace =
                traceId(orElse(text(doc, "trace"), text(doc.path("jsonPayload"), "logging.googleapis.com/trace")));
        String execution = label(doc.path("labels"), "execution_id");
        boolean run =
                String.valueOf(text(resource, "type")).startsWith("cloud_run") || source.contains("run.googleapis.com");
        b.requestId = run ? orElse(trace, execution) : orElse(execution, trace);
        return b;
    }

    private static void entry(JsonNode doc, FunctionEvent.Builder b) {
        String text = payload(doc);
        JsonNode http = doc.path("httpRequest");
        Integer code = httpStatus(http.path("status"));
        Matcher completion = text == null ? null : COMPLETION.matcher(text);
        if (completion != null && completion.find()) {
            b.kind = EventKind.INVOCATION;
            b.durationMs = NumericFields.decimal(completion.group(1));
            b.status = completionStatus(completion.group(2));
            b.message = text;
        } else if (code != null) {
            request(http, code, text, b);
        } else if (text == null) {
            b.kind = EventKind.LOG;
        } else if (text.startsWith(STARTED)) {
            b.kind = EventKind.START;
            b.message = text;
        } else if (text.contains(RUN_TIMEOUT)) {
            b.kind = EventKind.ERROR;
            b.status = FunctionEvent.TIMEOUT;
            b.errorType = TIMEOUT_TYPE;
            b.message = text;
        } else {
            JsonNode json = doc.path("jsonPayload");
            String severity = severity(doc);
            boolean reported = String.valueOf(text(json, "@type")).endsWith(REPORTED_ERROR);
            String fallback = severity != null ? "LogSeverity." + severity : reported ? "ReportedErrorEvent" : null;
            // Error Reporting reads a stack from "stack_trace" or "exception" before "message"
            String stack = orElse(text(json, "stack_trace"), text(json, "exception"));
            ProviderLines.classify(text, reported || severity != null, ExceptionNames.of(stack), fallback, b);
        }
    }

    /**
     * A request log: one invocation. Below 500 the function (or Cloud Run for it) answered: a 4xx is the
     * caller's fault, and a 429 from Cloud Run (no instance available) is demand, not a function error. 500 and
     * above, including Cloud Run's own 503 (the instance crashed or answered garbage), are errors; Cloud Run
     * puts its reason for a timeout in the entry's text.
     */
    private static void request(JsonNode http, int code, String text, FunctionEvent.Builder b) {
        b.kind = EventKind.INVOCATION;
        b.status = code < 500
                ? FunctionEvent.SUCCESS
                : text != null && text.contains(RUN_TIMEOUT) ? FunctionEvent.TIMEOUT : FunctionEvent.ERROR;
        b.durationMs = latency(http.path("latency"));
        b.message = text != null
                ? text
                : Stream.of(text(http, "requestMethod"), String.valueOf(code), text(http, "requestUrl"))
                        .filter(Objects::nonNull)
                        .collect(Collectors.joining(" "));
    }

    /**
     * An audit entry: the function is the service or function it names, in its labels or else its
     * {@code resourceName}. Status 7 (PERMISSION_DENIED) is a denial: the denied permission (from
     * {@code authorizationInfo}, else the status message) is the action, the method goes in the message.
     * Status 16 (UNAUTHENTICATED) is not: no identity was established, so no permission was refused (as
     * CloudTrail's invalid-token errors are not denials); it stays a LOG line naming the status.
     */
    private static void audit(JsonNode doc, JsonNode proto, FunctionEvent.Builder b) {
        JsonNode status = proto.path("status");
        String method = text(proto, "methodName");
        String resource = text(proto, "resourceName");
        String statusMessage = text(status, "message");
        identityFromResourceName(doc, proto, resource, b);
        if (statusCode(status, statusMessage) == PERMISSION_DENIED) {
            b.kind = EventKind.PERMISSION_DENIED;
            b.principal = text(proto.path("authenticationInfo"), "principalEmail");
            if (statusMessage != null) {
                PermissionDenial.extract(statusMessage, b);
            }
            JsonNode denied = deniedAuthorization(proto.path("authorizationInfo"));
            b.action = orElse(text(denied, "permission"), orElse(b.action, method));
            b.resource = orElse(text(denied, "resource"), orElse(b.resource, resource));
            b.message = method != null && statusMessage != null
                    ? method + ": " + statusMessage
                    : orElse(statusMessage, method);
        } else {
            b.kind = EventKind.LOG;
            String what = resource == null ? method : method + " " + resource;
            b.message = statusMessage == null ? what : what + ": " + statusMessage;
        }
    }

    /** The first authorization that was not granted ({@code granted} false is omitted from proto3 JSON). */
    private static JsonNode deniedAuthorization(JsonNode infos) {
        if (infos.isArray()) {
            for (JsonNode info : infos) {
                if (info.isObject() && !info.path("granted").asBoolean(false)) {
                    return info;
                }
            }
        }
        return infos.isObject() && !infos.path("granted").asBoolean(false) ? infos : infos.path("none");
    }

    private static int statusCode(JsonNode status, String message) {
        JsonNode code = status.path("code");
        if (code.isIntegralNumber() && code.canConvertToInt()) {
            return code.intValue();
        }
        String c = code.isTextual() ? code.asText() : "";
        if (c.equals("PERMISSION_DENIED") || c.equals("7")) {
            return PERMISSION_DENIED;
        }
        return message != null && message.startsWith("PERMISSION_DENIED") ? PERMISSION_DENIED : 0;
    }

    /**
     * Fills what the labels left out from the audited resource's name, for the shapes of the Cloud Run admin
     * APIs ({@code namespaces/P/services/S}, {@code projects/P/locations/L/services/S}) and of Cloud Functions
     * ({@code projects/P/locations/L/functions/F}). Other APIs use "services" for other things (Service Usage,
     * Dataproc Metastore), so a service is only read from Cloud Run's entries.
     */
    private static void identityFromResourceName(JsonNode doc, JsonNode proto, String name, FunctionEvent.Builder b) {
        if (b.function != null || name == null || name.length() > MAX_RESOURCE_NAME) {
            return;
        }
        String api = String.valueOf(text(proto, "serviceName"));
        String type = String.valueOf(text(doc.path("resource"), "type"));
        boolean run = api.equals("run.googleapis.com") || type.startsWith("cloud_run");
        boolean functions = api.equals("cloudfunctions.googleapis.com") || type.equals("cloud_function");
        String[] parts = name.split("/");
        String project = null;
        String location = null;
        String function = null;
        for (int i = 0; i + 1 < parts.length && function == null; i += 2) {
            String value = parts[i + 1].isEmpty() ? null : parts[i + 1];
            switch (parts[i]) {
                case "projects", "namespaces" -> project = value;
                case "locations" -> location = value;
                case "services" -> function = run ? value : null;
                case "functions" -> function = functions ? value : null;
                default -> i = parts.length; // not one of the three shapes: stop reading
            }
        }
        if (function != null) {
            b.function = function;
            b.account = orElse(b.account, project);
            b.region = orElse(b.region, location);
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

    /**
     * The LogSeverity name when it is ERROR or worse, else null. Cloud Logging lifts {@code severity} out of a
     * structured stdout line; an entry routed some other way may still hold it in its jsonPayload. An entry of
     * DEFAULT severity has no {@code severity} at all.
     */
    static String severity(JsonNode doc) {
        JsonNode s = doc.get("severity");
        if (s == null || s.isNull()) {
            s = doc.path("jsonPayload").path("severity");
        }
        if (s.isIntegralNumber() && s.canConvertToInt()) {
            return SEVERE.get(s.intValue());
        }
        String name = s.isTextual() ? s.asText().toUpperCase(Locale.ROOT) : "";
        return SEVERE.containsValue(name) ? name : null;
    }

    /** A numeric HTTP status (Cloud Run writes a number; some exporters a string), or null. */
    static Integer httpStatus(JsonNode status) {
        int code;
        if (status.isIntegralNumber() && status.canConvertToInt()) {
            code = status.intValue();
        } else if (status.isTextual()
                && status.asText().length() == 3
                && NumericFields.decimal(status.asText()) != null) {
            code = Integer.parseInt(status.asText());
        } else {
            return null;
        }
        return code >= 100 && code <= 599 ? code : null;
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
     * {@code httpRequest.latency} in milliseconds: the protobuf Duration's JSON form ("0.123s") or, as some
     * exporters write it, its object form ({@code {"seconds":1,"nanos":500000000}}); null otherwise.
     */
    static Double latency(JsonNode latency) {
        if (latency.isTextual()) {
            return milliseconds(latency.asText());
        } else if (!latency.isObject() || !(latency.has("seconds") || latency.has("nanos"))) {
            return null;
        }
        String seconds = wholeNumber(latency.get("seconds"));
        String nanos = wholeNumber(latency.get("nanos"));
        Double s = seconds == null ? null : NumericFields.decimal(seconds);
        Double n = nanos == null ? null : NumericFields.decimal(nanos);
        if (s == null || n == null) {
            return null;
        } else if (s.isNaN() || n.isNaN()) {
            return Double.NaN;
        }
        return new BigDecimal(seconds)
                .movePointRight(3)
                .add(new BigDecimal(nanos).movePointLeft(6))
                .doubleValue();
    }

    /** An int64 of proto3 JSON (a number or a string of digits); "0" when absent; null when something else. */
    private static String wholeNumber(JsonNode n) {
        if (n == null || n.isNull()) {
            return "0";
        }
        String s = n.isIntegralNumber() || n.isTextual() ? n.asText() : null;
        return s != null && s.indexOf('.') < 0 ? s : null;
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

    /** "projects/P/traces/06796866…" → "06796866…": the id that Cloud Run's request and stdout entries share. */
    private static String traceId(String trace) {
        String id = trace == null ? null : trace.substring(trace.lastIndexOf('/') + 1);
        return id == null || id.isEmpty() ? null : id;
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
