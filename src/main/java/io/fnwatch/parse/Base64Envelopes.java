package io.fnwatch.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.DeadLetter.Reason;
import java.util.Base64;

/**
 * Envelopes whose payloads are base64: the {@code {"awslogs":{"data":…}}} wrapper a Lambda subscriber
 * receives, and the Amazon Data Firehose HTTP endpoint request body ({@code requestId}, {@code timestamp},
 * {@code records[].data}). Each payload is decoded and parsed again (gzip is opened there).
 */
final class Base64Envelopes {

    private Base64Envelopes() {}

    static final class AwsLogs implements ShapeParser {
        @Override
        public boolean accepts(JsonNode doc) {
            return doc.path("awslogs").has("data");
        }

        @Override
        public void parse(JsonNode doc, ParseContext ctx, ParseOutput out) {
            decodeAndParse(doc.path("awslogs").path("data"), "awslogs", ctx, out);
        }
    }

    static final class Firehose implements ShapeParser {
        @Override
        public boolean accepts(JsonNode doc) {
            JsonNode records = doc.path("records");
            return doc.has("requestId")
                    && records.isArray()
                    && (records.isEmpty() || records.get(0).has("data"));
        }

        @Override
        public void parse(JsonNode doc, ParseContext ctx, ParseOutput out) {
            String source = "firehose:" + LambdaMessages.text(doc, "requestId");
            JsonNode records = doc.path("records");
            if (records.size() > ctx.settings().maxRecordsPerPayload()) {
                out.reject(
                        Reason.TOO_LARGE,
                        records.size() + " records exceed " + ctx.settings().maxRecordsPerPayload(),
                        source);
                return;
            }
            for (JsonNode r : records) {
                decodeAndParse(r.path("data"), source, ctx, out);
            }
        }
    }

    static void decodeAndParse(JsonNode data, String source, ParseContext ctx, ParseOutput out) {
        decodeAndParse(data, Base64.getMimeDecoder(), source, ctx, out);
    }

    static void decodeAndParse(
            JsonNode data, Base64.Decoder decoder, String source, ParseContext ctx, ParseOutput out) {
        if (!data.isTextual()) {
            out.reject(Reason.MISSING_FIELD, "data is missing or not a string", source);
            return;
        }
        byte[] bytes;
        try {
            bytes = decoder.decode(data.asText());
        } catch (IllegalArgumentException e) {
            out.reject(Reason.BAD_BASE64, e.getMessage(), source);
            return;
        }
        ctx.parseNested(bytes, source, out);
    }
}
