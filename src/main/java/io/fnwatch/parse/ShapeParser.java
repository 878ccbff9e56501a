package io.fnwatch.parse;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A parser of one JSON document shape (a CloudWatch Logs subscription payload, a Google LogEntry, ...).
 * {@link LogParser} asks each in turn whether it accepts the document's top-level shape; the first that does
 * parses it. Implementations are pure and never throw on bad input: they add rejections instead.
 */
interface ShapeParser {

    /** True when {@code doc}'s top-level fields are this shape's. Must be cheap. */
    boolean accepts(JsonNode doc);

    /** Adds one event or one rejection per log event in {@code doc} (or skips control messages). */
    void parse(JsonNode doc, ParseContext ctx, ParseOutput out);
}
