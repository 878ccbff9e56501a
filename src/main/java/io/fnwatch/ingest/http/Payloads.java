package io.fnwatch.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fnwatch.model.Json;
import io.fnwatch.parse.Gzip;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.RecordReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a request body into raw records, each small enough for one Kafka record and about one function where
 * the format allows: Firehose records one by one, NDJSON line by line, Azure {@code records} one by one;
 * a subscription payload or Pub/Sub envelope stays whole.
 * An NDJSON body that is one JSON document (a CloudTrail log file, pretty-printed or not) gives its records.
 */
final class Payloads {

    /** The raw records of one request, and the Firehose request id its body names (else null). */
    record Split(String requestId, List<byte[]> records) {}

    private final int maxRecords;
    private final int maxRecordBytes;
    private final BodyReader reader;
    private final RecordReader records;

    Payloads(int maxRecords, ParserSettings parser, BodyReader reader) {
        this.maxRecords = maxRecords;
        this.maxRecordBytes = parser.maxRecordBytes();
        this.reader = reader;
        this.records = new RecordReader(parser);
    }

    Split split(Endpoint endpoint, byte[] body) throws IngestProblem {
        Split split = switch (endpoint) {
            case FIREHOSE -> firehose(body);
            case NDJSON -> new Split(null, lines(body));
            case AZURE -> new Split(null, azure(body));
            case CLOUDWATCH -> new Split(null, List.of(subscription(body)));
            case PUBSUB -> new Split(null, List.of(body));
        };
        for (int i = 0; i < split.records().size(); i++) {
            int size = split.records().get(i).length;
            if (size > maxRecordBytes) {
                throw IngestProblem.tooLarge(
                        "record " + (i + 1) + " is " + size + " bytes; the most is " + maxRecordBytes);
            }
        }
        if (split.records().isEmpty()) {
            throw IngestProblem.badRequest("the request holds no records");
        }
        return split;
    }

    private Split firehose(byte[] body) throws IngestProblem {
        FirehoseBody f = FirehoseBody.parse(body, maxRecords);
        return new Split(f.requestId(), f.records());
    }

    /** Every non-blank line, or the records of a body that is one JSON document ({@link RecordReader}). */
    private List<byte[]> lines(byte[] body) throws IngestProblem {
        List<RecordReader.Raw> raws = records.read(body);
        if (raws.size() > maxRecords) {
            throw IngestProblem.tooLarge("more than " + maxRecords + " records in one request");
        }
        return raws.stream().map(RecordReader.Raw::value).toList();
    }

    private List<byte[]> azure(byte[] body) throws IngestProblem {
        JsonNode doc;
        try {
            doc = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw IngestProblem.badRequest("body is not valid JSON");
        }
        JsonNode records = doc == null ? null : doc.get("records");
        if (records == null || !records.isArray()) {
            throw IngestProblem.badRequest("body is not an Azure document: no records array");
        }
        if (records.size() > maxRecords) {
            throw IngestProblem.tooLarge(records.size() + " records exceed the limit of " + maxRecords);
        }
        List<byte[]> out = new ArrayList<>(records.size());
        for (JsonNode r : records) {
            ObjectNode one = Json.MAPPER.createObjectNode();
            one.putArray("records").add(r);
            out.add(one.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Kept as sent (gzip stays gzip), but a gzip payload is opened once here so that a bomb gets 413. */
    private byte[] subscription(byte[] body) throws IngestProblem {
        if (Gzip.isGzip(body)) {
            reader.inflate(body);
        }
        return body;
    }
}
