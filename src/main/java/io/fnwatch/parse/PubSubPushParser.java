package io.fnwatch.parse;

import static io.fnwatch.parse.LambdaMessages.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;

/**
 * A Pub/Sub push request ({@code {"message":{"data":…,"attributes":…,"messageId":…},"subscription":…}}), as a
 * Cloud Logging sink routed through Pub/Sub delivers LogEntries. The data is decoded and parsed again.
 */
final class PubSubPushParser implements ShapeParser {

    @Override
    public boolean accepts(JsonNode doc) {
        return doc.path("message").has("data");
    }

    @Override
    public void parse(JsonNode doc, ParseContext ctx, ParseOutput out) {
        JsonNode message = doc.get("message");
        String subscription = text(doc, "subscription");
        String id = text(message, "messageId") != null ? text(message, "messageId") : text(message, "message_id");
        String source = "pubsub:" + (subscription == null ? "" : subscription) + (id == null ? "" : ":" + id);
        // Pub/Sub sends strict base64; the lenient MIME decoder would turn garbage into bytes.
        Base64Envelopes.decodeAndParse(message.get("data"), Base64.getDecoder(), source, ctx, out);
    }
}
