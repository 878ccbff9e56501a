package io.fnwatch.parse;

import static io.fnwatch.parse.LambdaMessages.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure diagnostic settings' {@code {"records":[…]}} (as Event Hubs and Storage receive them) of category
 * {@code FunctionAppLogs}: one event per record, the function from {@code properties.functionName}, the
 * subscription as account. The host's own lines mark invocations ("Executing"/"Executed …") and timeouts.
 */
final class AzureRecordsParser implements ShapeParser {

    private static final String CATEGORY = "FunctionAppLogs";
    /** Host v2 wrote no Duration (Azure/azure-functions-host#5124). */
    private static final Pattern EXECUTED = Pattern.compile(
            "^Executed '[^']*' \\((Succeeded|Failed), Id=([^,)]+)(?:, Duration=(\\d+(?:\\.\\d+)?)ms)?\\)");

    private static final Pattern EXECUTING = Pattern.compile("^Executing '?[^' ]+'? \\(Reason=.*Id=([0-9a-fA-F-]{36})");
    private static final Pattern TIMEOUT =
            Pattern.compile("^Timeout value of \\S+ exceeded by function '[^']*'(?: \\(Id: '([^']+)'\\))?");
    /** SDK errors of a call the function made: "Status: 403 (Forbidden)", "403 Forbidden", "(Forbidden)". */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "(?i)\\bstatus(?: ?code)?[\"']?\\s?[:=]\\s?403\\b|\\b403\\s?\\(?forbidden\\b|\\(forbidden\\)");

    private static final int LEVEL_ERROR = 4;

    @Override
    public boolean accepts(JsonNode doc) {
        JsonNode records = doc.path("records");
        // Firehose bodies also hold "records", but with a requestId and only "data" in each.
        return records.isArray()
                && !records.isEmpty()
                && !doc.has("requestId")
                && (records.get(0).has("category") || records.get(0).has("operationName"));
    }

    @Override
    public void parse(JsonNode doc, ParseContext ctx, ParseOutput out) {
        JsonNode records = doc.get("records");
        if (records.size() > ctx.settings().maxRecordsPerPayload()) {
            out.reject(
                    Reason.TOO_LARGE,
                    records.size() + " Azure records exceed " + ctx.settings().maxRecordsPerPayload(),
                    "azure");
            return;
        }
        records.forEach(r -> record(r, out));
    }

    private static void record(JsonNode r, ParseOutput out) {
        String source = text(r, "resourceId") != null ? text(r, "resourceId") : "azure";
        String category = text(r, "category");
        String time = text(r, "time");
        if (!r.isObject()) {
            out.reject(Reason.UNKNOWN_FORMAT, "Azure record is not a JSON object", source);
        } else if (!CATEGORY.equalsIgnoreCase(category)) {
            out.reject(Reason.UNKNOWN_FORMAT, "Azure log category " + category + " is not " + CATEGORY, source);
        } else if (time == null) {
            out.reject(Reason.MISSING_FIELD, "time is missing", source);
        } else if (Timestamps.iso(time) == null) {
            out.reject(Reason.BAD_FIELD, "time is not ISO-8601: " + Timestamps.shown(time), source);
        } else {
            out.add(event(r, Timestamps.iso(time), source));
        }
    }

    private static FunctionEvent.Builder event(JsonNode r, Instant time, String source) {
        JsonNode p = r.path("properties");
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.provider = "azure";
        b.account = subscription(text(r, "resourceId"));
        b.region = text(r, "location");
        b.function = functionName(p);
        b.timestamp = time;
        b.requestId = text(p, "functionInvocationId");
        b.errorType = text(p, "exceptionType");
        b.source = source;
        String message = text(p, "message") != null ? text(p, "message") : text(p, "exceptionMessage");
        if (message == null) {
            b.kind = EventKind.LOG;
        } else {
            classify(LambdaMessages.stripNewline(message), p, b);
        }
        return b;
    }

    private static void classify(String message, JsonNode p, FunctionEvent.Builder b) {
        Matcher executed = EXECUTED.matcher(message);
        Matcher timeout = TIMEOUT.matcher(message);
        Matcher executing = EXECUTING.matcher(message);
        b.message = message;
        if (executed.find()) {
            b.kind = EventKind.INVOCATION;
            b.status = "Succeeded".equals(executed.group(1)) ? FunctionEvent.SUCCESS : FunctionEvent.ERROR;
            b.requestId = b.requestId != null ? b.requestId : executed.group(2);
            b.durationMs = executed.group(3) == null ? null : NumericFields.decimal(executed.group(3));
        } else if (timeout.find()) {
            b.kind = EventKind.ERROR;
            b.status = FunctionEvent.TIMEOUT;
            b.requestId = b.requestId != null ? b.requestId : timeout.group(1);
        } else if (executing.find()) {
            b.kind = EventKind.START;
            b.requestId = b.requestId != null ? b.requestId : executing.group(1);
        } else if (FORBIDDEN.matcher(message).find()) {
            b.kind = EventKind.PERMISSION_DENIED;
            PermissionDenial.extract(message, b);
        } else {
            ProviderLines.classify(
                    message,
                    p.path("levelId").asInt(0) >= LEVEL_ERROR
                            || "Error".equalsIgnoreCase(text(p, "level"))
                            || "Critical".equalsIgnoreCase(text(p, "level")),
                    b);
        }
    }

    /** "Functions.HttpTrigger1" → "HttpTrigger1"; host lines that name no function belong to the app. */
    private static String functionName(JsonNode p) {
        String name = text(p, "functionName");
        if (name != null && name.startsWith("Functions.")) {
            name = name.substring("Functions.".length());
        }
        return name != null && !name.isEmpty() ? name : text(p, "appName");
    }

    /** "/SUBSCRIPTIONS/12CABCB4-…/RESOURCEGROUPS/…" → "12cabcb4-…": Azure upper-cases resource ids at will. */
    static String subscription(String resourceId) {
        String id = resourceId == null ? "" : resourceId.toLowerCase(Locale.ROOT);
        int at = id.indexOf("/subscriptions/");
        if (at < 0) {
            return null;
        }
        int start = at + "/subscriptions/".length();
        int end = id.indexOf('/', start);
        String sub = end < 0 ? id.substring(start) : id.substring(start, end);
        return sub.isEmpty() ? null : sub;
    }
}
