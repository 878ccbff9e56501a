package io.fnwatch.ingest.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fnwatch.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A Firehose HTTP endpoint request body, read as a stream (a 64 MiB body is never turned into a tree): the
 * request id and each record's {@code data}, base64-decoded. A record whose data is not base64 is kept as a
 * one-record Firehose document, so the service dead-letters it as BAD_BASE64 instead of losing it.
 */
record FirehoseBody(String requestId, List<byte[]> records) {

    static FirehoseBody parse(byte[] body, int maxRecords) throws IngestProblem {
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw IngestProblem.badRequest("body is not a Firehose request: not a JSON object");
            }
            String requestId = null;
            List<byte[]> records = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("requestId".equals(name) && value == JsonToken.VALUE_STRING) {
                    requestId = p.getText();
                } else if ("records".equals(name) && value == JsonToken.START_ARRAY) {
                    records = records(p, maxRecords);
                } else {
                    p.skipChildren();
                }
            }
            if (records == null) {
                throw IngestProblem.badRequest("body is not a Firehose request: no records array");
            }
            return new FirehoseBody(requestId, records);
        } catch (IOException e) {
            throw IngestProblem.badRequest("body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static List<byte[]> records(JsonParser p, int maxRecords) throws IOException, IngestProblem {
        List<byte[]> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            if (out.size() == maxRecords) {
                throw IngestProblem.tooLarge("more than " + maxRecords + " records in one request");
            }
            String data = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("data".equals(name) && value == JsonToken.VALUE_STRING) {
                    data = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (data == null) {
                throw IngestProblem.badRequest("record " + (out.size() + 1) + " has no data string");
            }
            out.add(decode(data));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw IngestProblem.badRequest("records must be objects with a data field");
        }
        return out;
    }

    private static byte[] decode(String data) throws IOException {
        try {
            return Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            return Json.MAPPER.writeValueAsBytes(
                    Map.of("requestId", "undecodable", "records", List.of(Map.of("data", data))));
        }
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return s == null ? "malformed" : nl < 0 ? s : s.substring(0, nl);
    }
}
