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
    void parseNested(byte[] bytes, String source, ParseOutput out);
}
