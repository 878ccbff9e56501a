package io.fnwatch.detect;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deprecation phases of one runtime, as its provider publishes them: end of support ({@code deprecated}),
 * then no new functions on it ({@code blockCreate}), then no updates to existing ones ({@code blockUpdate}).
 * Dates are epoch milliseconds (midnight UTC); {@link Long#MAX_VALUE} where the table gives none.
 */
public record RuntimeLifecycle(long deprecated, long blockCreate, long blockUpdate) {

    /** What each phase is called in evidence, from {@link #phase} 1 to 3. */
    static final List<String> PHASES =
            List.of("supported", "deprecated", "functionCreateBlocked", "functionUpdateBlocked");

    private static final List<String> KEYS = List.of("deprecated", "blockCreate", "blockUpdate");

    /** 0 while supported at {@code t}, else the latest phase reached: 1 deprecated, 2 create blocked, 3 update blocked. */
    int phase(long t) {
        return t >= blockUpdate ? 3 : t >= blockCreate ? 2 : t >= deprecated ? 1 : 0;
    }

    /** The date of the first phase after {@code phase} that the table gives, or MAX_VALUE. */
    long next(int phase) {
        long[] dates = {deprecated, blockCreate, blockUpdate};
        for (int p = phase + 1; p <= 3; p++) {
            if (dates[p - 1] != Long.MAX_VALUE) {
                return dates[p - 1];
            }
        }
        return Long.MAX_VALUE;
    }

    long date(int phase) {
        return phase == 1 ? deprecated : phase == 2 ? blockCreate : phase == 3 ? blockUpdate : Long.MIN_VALUE;
    }

    /**
     * The {@code deprecatedRuntimes} table: each runtime maps to its end-of-support date, or to a mapping of
     * {@code deprecated}, {@code blockCreate} and {@code blockUpdate} dates ({@code deprecated} required).
     */
    static DetectorSpec.Table table(String key) {
        return new DetectorSpec.Table(
                key,
                "provider:runtime to the date its provider ended support (YYYY-MM-DD), or to {deprecated, blockCreate,"
                        + " blockUpdate} dates",
                RuntimeLifecycle::read);
    }

    private static Map<String, RuntimeLifecycle> read(Object raw, String where, List<String> problems) {
        Map<String, RuntimeLifecycle> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            problems.add(where + ": must be a mapping of runtimes to dates (YYYY-MM-DD)");
            return out;
        }
        m.forEach((k, v) -> {
            String name = where + ": " + k;
            if (v instanceof Map<?, ?> phases) {
                long[] dates = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
                phases.forEach((pk, pv) -> {
                    int i = KEYS.indexOf(String.valueOf(pk));
                    if (i < 0) {
                        problems.add(name + ": unknown key '" + pk + "' (expected one of " + KEYS + ")");
                    } else {
                        dates[i] = date(pv, name + "." + pk, problems);
                    }
                });
                if (!phases.containsKey("deprecated")) {
                    problems.add(name + ": needs a 'deprecated' date");
                } else {
                    out.put(String.valueOf(k), new RuntimeLifecycle(dates[0], dates[1], dates[2]));
                }
            } else {
                long d = date(v, name, problems);
                out.put(String.valueOf(k), new RuntimeLifecycle(d, Long.MAX_VALUE, Long.MAX_VALUE));
            }
        });
        return out;
    }

    private static long date(Object v, String name, List<String> problems) {
        try {
            return LocalDate.parse(String.valueOf(v))
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            problems.add(name + " = '" + v + "' is not a date (YYYY-MM-DD)");
            return Long.MAX_VALUE;
        }
    }
}
