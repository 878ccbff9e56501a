package io.fnwatch.parse;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Reads the ISO-8601 / RFC 3339 times of CloudTrail, Google and Azure records. */
final class Timestamps {

    /** "2026-03-02T00:00:00.123456789+05:30" is 35 characters; longer texts are not times, and not parsed. */
    static final int MAX_CHARS = 64;

    private Timestamps() {}

    /** A time text as a rejection shows it: cut, so a hostile megabyte is not copied into every dead letter. */
    static String shown(String text) {
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "… (" + text.length() + " chars)";
    }

    /**
     * The instant {@code text} names, cut to milliseconds (event time downstream is epoch millis, and Google's
     * nanoseconds would only make equal events look different); null when absent or unreadable.
     */
    static Instant iso(String text) {
        if (text == null || text.length() > MAX_CHARS) {
            return null;
        }
        try {
            return Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
