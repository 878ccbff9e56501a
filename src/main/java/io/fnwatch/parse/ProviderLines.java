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

    static void classify(String text, boolean severe, FunctionEvent.Builder b) {
        b.message = text;
        if (PermissionDenial.appliesTo(text)) {
            b.kind = EventKind.PERMISSION_DENIED;
            PermissionDenial.extract(text, b);
        } else {
            b.kind = severe ? EventKind.ERROR : EventKind.LOG;
        }
    }
}
