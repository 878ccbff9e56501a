package io.fnwatch.parse;

/**
 * Limits and defaults the parsers apply.
 *
 * @param defaultTenant tenant given to events whose source names none
 * @param maxRecordBytes larger inputs are rejected as TOO_LARGE before any parsing
 * @param maxMessageChars messages kept on events are cut to this many characters (after redaction)
 * @param maxDecompressedBytes a gzip payload is read up to this many bytes, then rejected as TOO_LARGE
 * @param maxRecordsPerPayload payloads holding more log events or records than this are rejected whole
 */
public record ParserSettings(String defaultTenant, int maxRecordBytes, int maxMessageChars, int maxDecompressedBytes,
        int maxRecordsPerPayload) {

    public static final ParserSettings DEFAULTS = new ParserSettings("default", 1 << 20, 1024, 16 << 20, 10_000);
}
