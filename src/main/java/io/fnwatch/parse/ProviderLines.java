package io.fnwatch.parse;

import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;

/**
 * Classifies a free-text line of a Google or Azure function that no provider-specific rule recognised:
 * a denied cloud call, else an error when the provider marked it severe, else an ordinary line. Lambda's
 * text rules ("Task timed out", "Runtime exited") are not applied: other providers report timeouts and
 * crashes on their own completion lines, and "timed out" in application text is usually a downstream call.
 */
final class ProviderLines {

    private ProviderLines() {}

    /**
     * @param errorType the exception class the provider's record names, or null to read it from the text
     * @param fallbackType the error type when neither names one (the severity, say): an ERROR always has one,
     *     so the error-burst detector groups unnamed errors by severity instead of under null
     */
    static void classify(String text, boolean severe, String errorType, String fallbackType, FunctionEvent.Builder b) {
        b.message = text;
        if (PermissionDenial.appliesTo(text)) {
            b.kind = EventKind.PERMISSION_DENIED;
            PermissionDenial.extract(text, b);
        } else if (severe || ExceptionNames.isTraceback(text)) {
            b.kind = EventKind.ERROR;
            String named = errorType != null ? errorType : ExceptionNames.of(text);
            b.errorType = named != null ? named : fallbackType;
        } else {
            b.kind = EventKind.LOG;
        }
    }
}
