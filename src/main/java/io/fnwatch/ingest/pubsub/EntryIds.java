package io.fnwatch.ingest.pubsub;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The identity of a LogEntry: Cloud Logging treats entries of one log with the same {@code timestamp} and
 * {@code insertId} as the same entry, so {@code logName}, {@code timestamp} and {@code insertId} name it, whichever
 * Pub/Sub message carries it. An entry without insertId (or data that is not a LogEntry) is named by its Pub/Sub
 * message id, which a redelivery keeps. Reads only the top-level fields, skipping the payload.
 */
final class EntryIds {

    private static final JsonFactory JSON = new JsonFactory();

    private EntryIds() {}

    static long of(byte[] data, String messageId) {
        String insertId = null;
        String logName = null;
        String timestamp = null;
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME
                        && (insertId == null || logName == null || timestamp == null)) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.VALUE_STRING) {
                        switch (field) {
                            case "insertId" -> insertId = p.getText();
                            case "logName" -> logName = p.getText();
                            case "timestamp" -> timestamp = p.getText();
                            default -> {}
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            insertId = null;
        }
        return insertId == null
                ? hash("message\n" + messageId)
                : hash("entry\n" + logName + "\n" + timestamp + "\n" + insertId);
    }

    static long hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
