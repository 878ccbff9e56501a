package io.fnwatch.detect;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One detector setting: its name, kind and allowed range. Durations are written {@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 2h}, {@code 30d} or ISO-8601 ({@code PT5M}); they are held as milliseconds (a Double).
 * Time zones are IANA names ({@code Europe/Berlin}) and are held as {@link java.time.ZoneId}.
 */
public record Param(String name, Kind kind, double min, double max, String doc) {

    public enum Kind {
        INT,
        DOUBLE,
        DURATION,
        ZONE
    }

    public static Param integer(String name, int min, int max, String doc) {
        return new Param(name, Kind.INT, min, max, doc);
    }

    public static Param decimal(String name, double min, double max, String doc) {
        return new Param(name, Kind.DOUBLE, min, max, doc);
    }

    public static Param duration(String name, String min, String max, String doc) {
        return new Param(name, Kind.DURATION, parseDuration(min), parseDuration(max), doc);
    }

    public static Param zone(String name, String doc) {
        return new Param(name, Kind.ZONE, 0, 0, doc);
    }

    /** Parses and range-checks a raw YAML value; problems are added to {@code problems} with {@code where}. */
    public Object parse(Object raw, String where, List<String> problems) {
        if (kind == Kind.ZONE) {
            try {
                return java.time.ZoneId.of(String.valueOf(raw));
            } catch (java.time.DateTimeException e) {
                problems.add(where + ": " + name + " = '" + raw + "' is not a time zone (e.g. UTC, Europe/Berlin)");
                return null;
            }
        }
        double v;
        try {
            v = switch (kind) {
                case INT -> {
                    if (!(raw instanceof Integer || raw instanceof Long)) {
                        throw new IllegalArgumentException("must be a whole number");
                    }
                    yield ((Number) raw).doubleValue();
                }
                case DOUBLE -> {
                    if (!(raw instanceof Number n)) {
                        throw new IllegalArgumentException("must be a number");
                    }
                    yield n.doubleValue();
                }
                case DURATION -> parseDuration(String.valueOf(raw));
                case ZONE -> throw new IllegalStateException("handled above");
            };
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + name + " = '" + raw + "' " + e.getMessage());
            return null;
        }
        if (v < min || v > max || Double.isNaN(v)) {
            problems.add(where + ": " + name + " = " + raw + " is out of range [" + show(min) + ", " + show(max) + "]");
            return null;
        }
        return v;
    }

    private String show(double v) {
        return kind == Kind.DURATION
                ? Duration.ofMillis((long) v).toString()
                : (v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v));
    }

    public static long parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT)).toMillis();
            }
            int unitAt = 0;
            while (unitAt < t.length() && (Character.isDigit(t.charAt(unitAt)) || t.charAt(unitAt) == '.')) {
                unitAt++;
            }
            double n = Double.parseDouble(t.substring(0, unitAt));
            double factor = switch (t.substring(unitAt).trim()) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                case "d" -> 86_400_000;
                default -> throw new IllegalArgumentException("needs a unit: ms, s, m, h or d");
            };
            return Math.round(n * factor);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("is not a duration (e.g. 90s, 5m, 30d): " + e.getMessage());
        }
    }
}
