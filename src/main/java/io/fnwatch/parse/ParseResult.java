package io.fnwatch.parse;

import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.FunctionEvent;
import java.util.List;

/**
 * What one input record became: events, rejections (one per log event that could not be read, or one for
 * the whole record when it could not be opened), and skipped control messages. For every input,
 * {@code events + rejections + skipped} equals the log events it held.
 */
public record ParseResult(List<FunctionEvent> events, List<Rejection> rejections, int skipped) {

    public static ParseResult reject(DeadLetter.Reason reason, String detail, String source) {
        return new ParseResult(List.of(), List.of(new Rejection(reason, detail, source)), 0);
    }
}
