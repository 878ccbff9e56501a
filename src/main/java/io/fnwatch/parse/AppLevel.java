package io.fnwatch.parse;

/**
 * The log level an application line was written at, as a small int so that reading it costs no allocation on
 * the hot path. The Lambda runtimes spell levels differently: Python {@code WARNING}/{@code CRITICAL}, .NET
 * {@code warn}/{@code fail}/{@code crit} (the Microsoft.Extensions.Logging labels), Ruby right-aligned
 * {@code " INFO"}, Node and Java upper case; all are folded onto these six.
 */
final class AppLevel {

    static final int NONE = 0;
    static final int TRACE = 1;
    static final int DEBUG = 2;
    static final int INFO = 3;
    static final int WARN = 4;
    static final int ERROR = 5;
    static final int FATAL = 6;

    private static final String[] NAMES = {null, "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};

    private AppLevel() {}

    static String name(int level) {
        return level > NONE && level < NAMES.length ? NAMES[level] : null;
    }

    static boolean isError(int level) {
        return level >= ERROR;
    }

    /** The level named by {@code s} (any case), else {@link #NONE}. */
    static int of(String s) {
        return s == null ? NONE : of(s, 0, s.length());
    }

    /** The level named by {@code s[from, to)} exactly (any case), else {@link #NONE}. */
    static int of(String s, int from, int to) {
        int n = to - from;
        if (from < 0 || to > s.length() || n < 4 || n > 11) {
            return NONE;
        }
        return switch (Character.toUpperCase(s.charAt(from))) {
            case 'T' -> is(s, from, n, "TRACE") || is(s, from, n, "TRCE") ? TRACE : NONE;
            case 'D' -> is(s, from, n, "DEBUG") || is(s, from, n, "DBUG") ? DEBUG : NONE;
            case 'I' -> is(s, from, n, "INFO") || is(s, from, n, "INFORMATION") ? INFO : NONE;
            case 'W' -> is(s, from, n, "WARN") || is(s, from, n, "WARNING") ? WARN : NONE;
            case 'E' -> is(s, from, n, "ERROR") ? ERROR : NONE;
            case 'F' -> is(s, from, n, "FATAL") ? FATAL : is(s, from, n, "FAIL") ? ERROR : NONE;
            case 'C' -> is(s, from, n, "CRIT") || is(s, from, n, "CRITICAL") ? FATAL : NONE;
            default -> NONE;
        };
    }

    private static boolean is(String s, int from, int n, String name) {
        return n == name.length() && s.regionMatches(true, from, name, 0, n);
    }
}
