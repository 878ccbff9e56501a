package io.fnwatch.parse;

/**
 * Limits and defaults the parsers apply.
 *
 * @param defaultTenant tenant given to events whose source names none
 * @param maxRecordBytes larger inputs are rejected as TOO_LARGE before any parsing
 * @param maxMessageChars messages kept on events are cut to this many characters
 */
public record ParserSettings(String defaultTenant, int maxRecordBytes, int maxMessageChars) {

    public static final ParserSettings DEFAULTS = new ParserSettings("default", 1024 * 1024, 1024);
}
