package io.fnwatch.parse;

import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.FunctionEvent;
import java.util.List;

/** What one input record became: events, rejections, or (for mixed payloads) both. */
public record ParseResult(List<FunctionEvent> events, List<Rejection> rejections) {

    public static ParseResult of(FunctionEvent event) {
        return new ParseResult(List.of(event), List.of());
    }

    public static ParseResult reject(DeadLetter.Reason reason, String detail, String source) {
        return new ParseResult(List.of(), List.of(new Rejection(reason, detail, source)));
    }
}
