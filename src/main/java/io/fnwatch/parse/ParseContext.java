package io.fnwatch.parse;

/**
 * What a shape parser may ask of the parser that called it: the settings, the Lambda message reader (for
 * log lines carried inside other shapes), and parsing of nested bytes (base64 payloads inside envelopes).
 */
interface ParseContext {

    ParserSettings settings();

    /** Reads a Lambda log message (plain text or JSON log format) into {@code b}. */
    LambdaMessages lambda();

    /** Parses bytes found inside a document (e.g. a base64 Pub/Sub or Firehose record) into {@code out}. */
    default void parseNested(byte[] bytes, String source, ParseOutput out) {
        parseNested(bytes, source, region(), out);
    }

    /**
     * As {@link #parseNested(byte[], String, ParseOutput)}, for an envelope that names the AWS region of what it
     * carries ({@code region}; null: the region this document was given).
     */
    void parseNested(byte[] bytes, String source, String region, ParseOutput out);

    /**
     * The AWS region this document's source names (an enclosing envelope, else the record's {@link SourceHints}),
     * or null: used only when the document names none itself.
     */
    String region();
}
