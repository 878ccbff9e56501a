package io.fnwatch.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.DeadLetter.Reason;
import java.util.Base64;

/**
 * Envelopes whose payloads are base64: the {@code {"awslogs":{"data":…}}} wrapper a Lambda subscriber
 * receives, the Amazon Data Firehose HTTP endpoint request body ({@code requestId}, {@code timestamp},
 * {@code records[].data}) and data-transformation event ({@code invocationId}, {@code deliveryStreamArn},
 * {@code region}, {@code records[].data}), and the Kinesis Data Streams event a Lambda consumer receives
 * ({@code Records[].kinesis.data}, {@code awsRegion}, {@code eventSourceARN}). Each payload is decoded and parsed
 * again (gzip is opened there), with the region the envelope names: a subscription payload inside names none.
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
            return (doc.has("requestId") || doc.has("invocationId"))
                    && records.isArray()
                    && (records.isEmpty() || records.get(0).has("data"));
        }

        @Override
        public void parse(JsonNode doc, ParseContext ctx, ParseOutput out) {
            String id = LambdaMessages.text(doc, doc.has("requestId") ? "requestId" : "invocationId");
            String source = "firehose:" + id;
            // a transformation event names its stream's region; the HTTP endpoint body does not (its header does)
            String region = SourceHints.awsRegion(LambdaMessages.text(doc, "region"));
            if (region == null) {
                region = SourceHints.regionOfArn(LambdaMessages.text(doc, "deliveryStreamArn"));
            }
            JsonNode records = doc.path("records");
            if (records.size() > ctx.settings().maxRecordsPerPayload()) {
                out.reject(
                        Reason.TOO_LARGE,
                        records.size() + " records exceed " + ctx.settings().maxRecordsPerPayload(),
                        source);
                return;
            }
            for (JsonNode r : records) {
                decodeAndParse(r.path("data"), Base64.getMimeDecoder(), source, region, ctx, out);
            }
        }
    }

    /** Kinesis Data Streams records as Lambda receives them; CloudTrail's {@code Records} hold no {@code kinesis}. */
    static final class Kinesis implements ShapeParser {
        @Override
        public boolean accepts(JsonNode doc) {
            return doc.path("Records").path(0).has("kinesis");
        }

        @Override
        public void parse(JsonNode doc, ParseContext ctx, ParseOutput out) {
            JsonNode records = doc.path("Records");
            if (records.size() > ctx.settings().maxRecordsPerPayload()) {
                out.reject(
                        Reason.TOO_LARGE,
                        records.size() + " records exceed " + ctx.settings().maxRecordsPerPayload(),
                        "kinesis");
                return;
            }
            for (JsonNode r : records) {
                String eventId = LambdaMessages.text(r, "eventID");
                String source = eventId == null ? "kinesis" : "kinesis:" + eventId;
                String region = SourceHints.awsRegion(LambdaMessages.text(r, "awsRegion"));
                if (region == null) {
                    region = SourceHints.regionOfArn(LambdaMessages.text(r, "eventSourceARN"));
                }
                decodeAndParse(r.path("kinesis").path("data"), Base64.getMimeDecoder(), source, region, ctx, out);
            }
        }
    }

    static void decodeAndParse(JsonNode data, String source, ParseContext ctx, ParseOutput out) {
        decodeAndParse(data, Base64.getMimeDecoder(), source, null, ctx, out);
    }

    static void decodeAndParse(
            JsonNode data, Base64.Decoder decoder, String source, ParseContext ctx, ParseOutput out) {
        decodeAndParse(data, decoder, source, null, ctx, out);
    }

    /** {@code region}: what the envelope names of its payload's region, else null. */
    static void decodeAndParse(
            JsonNode data, Base64.Decoder decoder, String source, String region, ParseContext ctx, ParseOutput out) {
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
        ctx.parseNested(bytes, source, region, out);
    }
}
