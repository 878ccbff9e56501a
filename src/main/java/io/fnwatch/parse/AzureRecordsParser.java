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
 * {@code FunctionAppLogs}, or the same table exported from Log Analytics (PascalCase columns, {@code Type},
 * {@code TimeGenerated}): one event per record, the function {@code <app>/<functionName>}, the subscription as
 * account. The host's own lines mark invocations ("Executing"/"Executed …") and timeouts; Error and Critical
 * records are errors with the exception type they name.
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
    private static final String SITES = "/providers/microsoft.web/sites/";
    /** What the host throws at a function's timeout, for the timeout line when the record names no type. */
    private static final String TIMEOUT_EXCEPTION = "Microsoft.Azure.WebJobs.Host.FunctionTimeoutException";

    @Override
    public boolean accepts(JsonNode doc) {
        JsonNode records = doc.path("records");
        // Firehose bodies also hold "records", but with a requestId and only "data" in each.
        return records.isArray()
                && !records.isEmpty()
                && !doc.has("requestId")
                && (records.get(0).has("category")
                        || records.get(0).has("operationName")
                        || records.get(0).has("TimeGenerated"));
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
        // Log Analytics' data export writes the FunctionAppLogs table's PascalCase columns at the top level
        boolean table = !r.has("category") && r.has("Type");
        String resourceId = text(r, table ? "_ResourceId" : "resourceId");
        String source = resourceId != null ? resourceId : "azure";
        String category = text(r, table ? "Type" : "category");
        String time = text(r, table ? "TimeGenerated" : "time");
        if (!r.isObject()) {
            out.reject(Reason.UNKNOWN_FORMAT, "Azure record is not a JSON object", source);
        } else if (!CATEGORY.equalsIgnoreCase(category) && !(table && AppInsightsRecords.handles(category))) {
            out.reject(Reason.UNKNOWN_FORMAT, "Azure log category " + category + " is not " + CATEGORY, source);
        } else if (time == null) {
            out.reject(Reason.MISSING_FIELD, "time is missing", source);
        } else if (Timestamps.iso(time) == null) {
            out.reject(Reason.BAD_FIELD, "time is not ISO-8601: " + Timestamps.shown(time), source);
        } else if (!CATEGORY.equalsIgnoreCase(category)) {
            out.add(AppInsightsRecords.event(r, category, Timestamps.iso(time), source));
        } else {
            JsonNode p = table ? r : r.path("properties");
            out.add(event(r, p, resourceId, text(r, table ? "Location" : "location"), Timestamps.iso(time), source));
        }
    }

    private static FunctionEvent.Builder event(
            JsonNode r, JsonNode p, String resourceId, String location, Instant time, String source) {
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.provider = "azure";
        b.account = subscription(resourceId);
        b.region = location;
        b.function = function(app(p, resourceId), functionName(p));
        b.timestamp = time;
        b.requestId = field(p, "functionInvocationId");
        b.errorType = orElse(field(p, "exceptionType"), ExceptionNames.of(field(p, "exceptionDetails")));
        b.source = source;
        String message = orElse(field(p, "message"), field(p, "exceptionMessage"));
        if (message == null) {
            b.kind = EventKind.LOG;
        } else {
            classify(LambdaMessages.stripNewline(message), r, p, b);
        }
        return b;
    }

    private static void classify(String message, JsonNode r, JsonNode p, FunctionEvent.Builder b) {
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
            b.errorType = b.errorType != null ? b.errorType : TIMEOUT_EXCEPTION;
        } else if (executing.find()) {
            b.kind = EventKind.START;
            b.requestId = b.requestId != null ? b.requestId : executing.group(1);
        } else if (FORBIDDEN.matcher(message).find()) {
            b.kind = EventKind.PERMISSION_DENIED;
            PermissionDenial.extract(message, b);
        } else {
            String level = severeLevel(r, p);
            ProviderLines.classify(message, level != null, b.errorType, "LogLevel." + level, b);
        }
    }

    /**
     * "Error" or "Critical" (the Microsoft.Extensions.Logging level names) when the record is one, else null.
     * A record with an exception but no level at all counts as an Error.
     */
    static String severeLevel(JsonNode r, JsonNode p) {
        JsonNode id = p.has("levelId") ? p.get("levelId") : p.path("LevelId");
        if (id.canConvertToInt() && id.isNumber()) {
            int level = id.intValue();
            return level == LEVEL_ERROR ? "Error" : level > LEVEL_ERROR ? "Critical" : null;
        }
        String level = orElse(field(p, "level"), text(r, "level"));
        if (level != null) {
            return "Error".equalsIgnoreCase(level) ? "Error" : "Critical".equalsIgnoreCase(level) ? "Critical" : null;
        }
        return field(p, "exceptionType") != null || field(p, "exceptionMessage") != null ? "Error" : null;
    }

    /**
     * One function, one identity: two apps in one subscription and region may both have a "ProcessOrder", so
     * the function is {@code <app>/<function>}; the host's own lines, which name no function, belong to
     * {@code <app>}. Azure upper-cases resource ids at will and app names are case-insensitive (they are host
     * names), so the app is lower-cased: the same app from a resource id and from appName is one key.
     */
    static String function(String app, String function) {
        if (app == null) {
            return function;
        }
        return function == null ? app : app + "/" + function;
    }

    /** The app from {@code appName}, else from the resource id's {@code …/PROVIDERS/MICROSOFT.WEB/SITES/<APP>}. */
    static String app(JsonNode p, String resourceId) {
        String name = field(p, "appName");
        if (name == null || name.isEmpty()) {
            String id = resourceId == null ? "" : resourceId.toLowerCase(Locale.ROOT);
            int at = id.indexOf(SITES);
            if (at >= 0) {
                int start = at + SITES.length();
                int end = id.indexOf('/', start);
                name = end < 0 ? id.substring(start) : id.substring(start, end);
            }
        }
        return name == null || name.isEmpty() ? null : name.toLowerCase(Locale.ROOT);
    }

    /** "Functions.HttpTrigger1" → "HttpTrigger1"; null for host lines, which name no function. */
    private static String functionName(JsonNode p) {
        String name = field(p, "functionName");
        if (name != null && name.startsWith("Functions.")) {
            name = name.substring("Functions.".length());
        }
        return name != null && !name.isEmpty() ? name : null;
    }

    /** A property in diagnostic settings' camelCase or in the Log Analytics table's PascalCase. */
    private static String field(JsonNode p, String camel) {
        String v = text(p, camel);
        return v != null ? v : text(p, Character.toUpperCase(camel.charAt(0)) + camel.substring(1));
    }

    private static String orElse(String a, String b) {
        return a != null ? a : b;
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
