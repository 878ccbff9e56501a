package io.fnwatch.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.DeadLetter.Reason;
import java.nio.charset.StandardCharsets;

/**
 * A CloudWatch Logs subscription payload ({@code owner}, {@code logGroup}, {@code logStream},
 * {@code messageType}, {@code logEvents[]}), as a subscription filter delivers it (after the gzip and
 * base64 layers are opened). {@code CONTROL_MESSAGE} payloads are health checks: skipped, not dead-lettered.
 */
final class SubscriptionPayloadParser implements ShapeParser {

    @Override
    public boolean accepts(JsonNode doc) {
        return doc.has("logEvents") && (doc.has("messageType") || doc.has("logGroup"));
    }

    @Override
    public void parse(JsonNode doc, ParseContext ctx, ParseOutput out) {
        String group = LambdaMessages.text(doc, "logGroup");
        String stream = LambdaMessages.text(doc, "logStream");
        String source = group == null ? "subscription" : stream == null ? group : group + ":" + stream;
        JsonNode events = doc.get("logEvents");
        if (!events.isArray()) {
            out.reject(Reason.MISSING_FIELD, "logEvents is not an array", source);
            return;
        }
        if (events.size() > ctx.settings().maxRecordsPerPayload()) {
            out.reject(
                    Reason.TOO_LARGE,
                    events.size() + " log events exceed " + ctx.settings().maxRecordsPerPayload(),
                    source);
            return;
        }
        boolean control = "CONTROL_MESSAGE".equals(LambdaMessages.text(doc, "messageType"));
        for (JsonNode e : events) {
            if (control) {
                out.skip();
                continue;
            }
            JsonNode ts = e.get("timestamp");
            String message = LambdaMessages.text(e, "message");
            if (group == null) {
                out.reject(Reason.MISSING_FIELD, "logGroup is missing", source);
            } else if (ts == null || !ts.isIntegralNumber()) {
                out.reject(Reason.MISSING_FIELD, "timestamp is missing or not a number", source);
            } else if (message == null) {
                out.reject(Reason.MISSING_FIELD, "message is missing", source);
            } else if (CloudWatchEvents.isCloudTrailRecord(message)) {
                ctx.parseNested(message.getBytes(StandardCharsets.UTF_8), source, out);
            } else {
                var b = CloudWatchEvents.builder(
                        group,
                        stream,
                        ts.asLong(),
                        LambdaMessages.text(doc, "owner"),
                        // AWS sends no region here: the envelope's or the ingest request's is the log group's
                        SourceHints.named(LambdaMessages.text(doc, "region"), ctx.region()));
                ctx.lambda().read(message, b);
                out.add(b);
            }
        }
    }
}
