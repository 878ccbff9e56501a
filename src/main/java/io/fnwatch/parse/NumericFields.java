package io.fnwatch.parse;

import io.fnwatch.model.FunctionEvent;

/**
 * Bounds for the numbers read from log text. Parsing is cut short by length before any conversion (a
 * 900,000-digit latency took 16 s in BigDecimal and became Infinity). A number that is too long, not finite,
 * negative or absurd makes {@link ParseOutput} reject the event as BAD_FIELD naming the field: no provider
 * writes such values, and a clamped one would feed the models a made-up measurement. A field that is not a
 * number at all is left absent, as before.
 * Parsers mark such a value {@code NaN} (durations) or {@link #INVALID_MB} (memory) and go on.
 */
final class NumericFields {

    /** Longer number texts are not parsed: a protobuf Duration at its limit, "315576000000.999999999", is 22. */
    static final int MAX_CHARS = 32;
    /** The longest believable duration: Lambda stops at 15 min, Cloud Run at 60 min, Azure Premium is unbounded. */
    static final double MAX_DURATION_MS = 31 * 24 * 3_600_000.0;
    /** Lambda allows 10,240 MB; 1 TiB leaves room for any runtime. */
    static final int MAX_MEMORY_MB = 1 << 20;

    static final int INVALID_MB = -1;

    private NumericFields() {}

    /**
     * A plain decimal ({@code 123}, {@code 4.56}, {@code -1}): null when the text is not one (the field is then absent, as
     * for any unreadable field), NaN when it is longer than {@link #MAX_CHARS} (the event is then rejected).
     */
    static Double decimal(CharSequence text) {
        int n = text.length();
        boolean dot = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '.' && !dot && i > 0 && i < n - 1 && text.charAt(i - 1) != '-') {
                dot = true;
            } else if (c == '-' && i == 0 && n > 1) {
                continue; // read, so that ParseOutput rejects it as negative rather than dropping it
            } else if (c < '0' || c > '9') {
                return null;
            }
        }
        return n == 0 ? null : n > MAX_CHARS ? Double.NaN : Double.valueOf(Double.parseDouble(text.toString()));
    }

    /** Megabytes read as a double, as an int; {@link #INVALID_MB} when out of range. */
    static Integer megabytes(Double mb) {
        if (mb == null) {
            return null;
        }
        return mb.isNaN() || mb < 0 || mb > MAX_MEMORY_MB ? INVALID_MB : (Integer) mb.intValue();
    }

    /** Why the event's numbers cannot be kept, or null when they can. */
    static String problem(FunctionEvent.Builder b) {
        String bad = duration("durationMs", b.durationMs);
        bad = bad != null ? bad : duration("billedDurationMs", b.billedDurationMs);
        bad = bad != null ? bad : duration("initDurationMs", b.initDurationMs);
        bad = bad != null ? bad : memory("memorySizeMb", b.memorySizeMb);
        return bad != null ? bad : memory("maxMemoryUsedMb", b.maxMemoryUsedMb);
    }

    private static String duration(String field, Double ms) {
        if (ms == null || ms >= 0 && ms <= MAX_DURATION_MS) { // NaN fails both comparisons
            return null;
        }
        return field + " is not a duration between 0 and " + (long) MAX_DURATION_MS + " ms of at most " + MAX_CHARS
                + " characters" + (ms.isNaN() ? "" : ": " + ms);
    }

    private static String memory(String field, Integer mb) {
        if (mb == null || mb >= 0 && mb <= MAX_MEMORY_MB) {
            return null;
        }
        return field + " is not a size between 0 and " + MAX_MEMORY_MB + " MB of at most " + MAX_CHARS + " characters";
    }
}
