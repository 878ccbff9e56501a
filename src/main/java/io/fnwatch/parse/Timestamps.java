package io.fnwatch.parse;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Reads the ISO-8601 / RFC 3339 times of CloudTrail, Google and Azure records. */
final class Timestamps {

    private Timestamps() {
    }

    /**
     * The instant {@code text} names, cut to milliseconds (event time downstream is epoch millis, and Google's
     * nanoseconds would only make equal events look different); null when absent or unreadable.
     */
    static Instant iso(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
