package io.fnwatch.parse;

import static io.fnwatch.parse.LambdaMessages.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.util.regex.Pattern;

/**
 * CloudTrail records: one record ({@code eventVersion}, {@code eventSource}, {@code eventName}), a log
 * file's {@code {"Records":[…]}}, or what {@code aws cloudtrail lookup-events} prints ({@code {"Events":[…]}},
 * each holding its record as the JSON string {@code CloudTrailEvent}). Only API calls a Lambda function made are function events: Lambda names the
 * execution role's session after the function ({@code arn:aws:sts::ACCT:assumed-role/ROLE/FUNCTION}) and its
 * SDKs add {@code exec-env/AWS_Lambda_<runtime>} to the user agent. Denied calls, matched as the CIS metric
 * filter matches them ({@code AccessDenied*}, {@code *UnauthorizedOperation}), are PERMISSION_DENIED.
 */
final class CloudTrailParser implements ShapeParser {

    private static final String LAMBDA_AGENT = "exec-env/AWS_Lambda_";
    private static final String ASSUMED_ROLE = ":assumed-role/";
    /** Lambda's function-name alphabet: people's sessions (emails, federated names with '@' or '=') fall outside. */
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Sessions that SDKs, EC2 instance profiles and ECS tasks name for themselves: in the alphabet, not functions. */
    private static final Pattern GENERATED_SESSION = Pattern.compile("i-[0-9a-f]{8,17}|[0-9a-f]{32}|[0-9_-]+"
            + "|(?i:botocore-session|boto3-session|aws-go-sdk|aws-sdk-java|aws-sdk-js|AssumeRoleSession)[0-9_-]*");

    @Override
    public boolean accepts(JsonNode doc) {
        return doc.path("Records").isArray()
                || doc.path("Events").path(0).has("CloudTrailEvent")
                || doc.has("eventVersion") && doc.has("eventSource") && doc.has("eventName");
    }

    @Override
    public void parse(JsonNode doc, ParseContext ctx, ParseOutput out) {
        JsonNode records = doc.get("Records");
        if (!doc.path("Records").isArray() && doc.path("Events").isArray()) {
            lookedUp(doc.get("Events"), ctx, out);
        } else if (records == null || !records.isArray()) {
            record(doc, out);
        } else if (records.size() > ctx.settings().maxRecordsPerPayload()) {
            out.reject(
                    Reason.TOO_LARGE,
                    records.size() + " CloudTrail records exceed "
                            + ctx.settings().maxRecordsPerPayload(),
                    "cloudtrail");
        } else {
            records.forEach(r -> record(r, out));
        }
    }

    /** LookupEvents results: each event's record is a JSON string, read as a nested CloudTrail record. */
    private static void lookedUp(JsonNode events, ParseContext ctx, ParseOutput out) {
        if (events.size() > ctx.settings().maxRecordsPerPayload()) {
            out.reject(
                    Reason.TOO_LARGE,
                    events.size() + " CloudTrail events exceed "
                            + ctx.settings().maxRecordsPerPayload(),
                    "cloudtrail");
            return;
        }
        for (JsonNode e : events) {
            String eventId = text(e, "EventId");
            String source = eventId == null ? "cloudtrail" : "cloudtrail:" + eventId;
            JsonNode record = e.get("CloudTrailEvent");
            if (record == null || !record.isTextual()) {
                out.reject(Reason.MISSING_FIELD, "lookup event without a CloudTrailEvent string", source);
            } else {
                ctx.parseNested(record.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8), source, out);
            }
        }
    }

    private static void record(JsonNode r, ParseOutput out) {
        String eventId = text(r, "eventID");
        String source = eventId == null ? "cloudtrail" : "cloudtrail:" + eventId;
        String function = lambdaFunction(text(r.path("userIdentity"), "arn"), text(r, "userAgent"));
        String time = text(r, "eventTime");
        if (!r.isObject()) {
            out.reject(Reason.UNKNOWN_FORMAT, "CloudTrail record is not a JSON object", source);
        } else if (text(r, "eventSource") == null || text(r, "eventName") == null) {
            out.reject(Reason.MISSING_FIELD, "not a CloudTrail record: eventSource or eventName is missing", source);
        } else if (function == null) {
            // Most of a trail is people and services: counted as skipped, like CloudWatch control messages,
            // so a whole trail forwarded to fnwatch does not flood the dead letters.
            out.skip();
        } else if (time == null) {
            out.reject(Reason.MISSING_FIELD, "eventTime is missing", source);
        } else if (Timestamps.iso(time) == null) {
            out.reject(Reason.BAD_FIELD, "eventTime is not ISO-8601: " + Timestamps.shown(time), source);
        } else {
            out.add(event(r, function, source));
        }
    }

    private static FunctionEvent.Builder event(JsonNode r, String function, String source) {
        JsonNode who = r.path("userIdentity");
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.provider = "aws";
        b.account = text(r, "recipientAccountId") != null ? text(r, "recipientAccountId") : text(who, "accountId");
        b.region = text(r, "awsRegion");
        b.function = function;
        b.timestamp = Timestamps.iso(text(r, "eventTime"));
        b.runtime = runtime(text(r, "userAgent"));
        b.source = source;
        call(r, text(who, "arn"), text(r, "eventSource"), text(r, "eventName"), b);
        return b;
    }

    private static void call(
            JsonNode r, String principal, String eventSource, String eventName, FunctionEvent.Builder b) {
        String code = text(r, "errorCode");
        b.errorType = code;
        if (code != null && (code.startsWith("AccessDenied") || code.endsWith("UnauthorizedOperation"))) {
            String service = eventSource.endsWith(".amazonaws.com")
                    ? eventSource.substring(0, eventSource.length() - ".amazonaws.com".length())
                    : eventSource;
            b.kind = EventKind.PERMISSION_DENIED;
            b.message = text(r, "errorMessage") != null ? text(r, "errorMessage") : code;
            PermissionDenial.extract(b.message, b);
            if (b.resource == null) {
                // S3 says only "Access Denied"; data events list what was touched.
                b.resource = text(r.path("resources").path(0), "ARN");
            }
            // The record names principal and call exactly; the message's wording varies by service.
            b.principal = principal;
            b.action = service + ":" + eventName;
        } else {
            b.kind = EventKind.LOG;
            b.message = eventSource + " " + eventName;
        }
    }

    /** The role session name of an assumed-role ARN when the call came from Lambda, else null. */
    static String lambdaFunction(String arn, String userAgent) {
        int role = arn == null || !arn.contains(":sts::") ? -1 : arn.indexOf(ASSUMED_ROLE);
        int slash = role < 0 ? -1 : arn.indexOf('/', role + ASSUMED_ROLE.length());
        if (slash < 0 || slash == arn.length() - 1) {
            return null;
        }
        String session = arn.substring(slash + 1);
        boolean fromLambda = userAgent != null && userAgent.contains(LAMBDA_AGENT);
        boolean looksLikeFunction = FUNCTION_NAME.matcher(session).matches()
                && !GENERATED_SESSION.matcher(session).matches();
        return fromLambda || looksLikeFunction ? session : null;
    }

    /** {@code exec-env/AWS_Lambda_python3.11} → {@code python3.11}. */
    static String runtime(String userAgent) {
        int at = userAgent == null ? -1 : userAgent.indexOf(LAMBDA_AGENT);
        if (at < 0) {
            return null;
        }
        int start = at + LAMBDA_AGENT.length();
        int end = start;
        // Some trails bracket the agent ("[Boto3/1.34 … exec-env/AWS_Lambda_python3.11]").
        while (end < userAgent.length()
                && !Character.isWhitespace(userAgent.charAt(end))
                && userAgent.charAt(end) != ']'
                && userAgent.charAt(end) != ')') {
            end++;
        }
        return end > start ? userAgent.substring(start, end) : null;
    }
}
