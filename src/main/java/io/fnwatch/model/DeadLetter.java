package io.fnwatch.model;

import java.time.Instant;

/**
 * A record that could not be parsed, validated or processed, kept with its reason and its payload so that
 * nothing is lost silently. The payload is the record's text with secrets masked (gzip inflated first),
 * capped at 64 KiB ({@code payloadTruncated}); {@code payloadBytes} is the size of the original record.
 */
public record DeadLetter(
        String reason,
        String detail,
        String source,
        Instant receivedAt,
        String topic,
        Integer partition,
        Long offset,
        String payloadBase64,
        int payloadBytes,
        boolean payloadTruncated) {

    /** Reason codes; a dead letter's {@code reason} is one of these names. */
    public enum Reason {
        UNKNOWN_FORMAT,
        BAD_JSON,
        BAD_GZIP,
        BAD_BASE64,
        MISSING_FIELD,
        BAD_FIELD,
        TOO_LARGE,
        LATE,
        PROCESSING_ERROR
    }
}
