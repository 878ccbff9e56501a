package io.fnwatch.http.console;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fnwatch.detect.MinuteSummary;
import io.fnwatch.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Minutes as JSON between instances: one array per minute, NaN as null. */
final class HistoryJson {

    private HistoryJson() {}

    static byte[] write(List<MinuteSummary> minutes) {
        List<List<Object>> rows = new ArrayList<>(minutes.size());
        for (MinuteSummary m : minutes) {
            rows.add(Arrays.asList(
                    m.minuteStart(),
                    m.count(),
                    m.errors(),
                    m.denials(),
                    f(m.expected()),
                    f(m.threshold()),
                    f(m.p50Ms()),
                    f(m.p95Ms()),
                    f(m.baselineP50Ms()),
                    f(m.baselineP95Ms()),
                    (m.trafficWarmup() ? 1 : 0) | (m.durationWarmup() ? 2 : 0)));
        }
        return Json.bytes(rows);
    }

    static List<MinuteSummary> read(byte[] body) {
        List<List<Number>> rows = json(body, new TypeReference<List<List<Number>>>() {});
        List<MinuteSummary> out = new ArrayList<>(rows.size());
        for (List<Number> r : rows) {
            int flags = r.get(10).intValue();
            out.add(new MinuteSummary(
                    r.get(0).longValue(),
                    r.get(1).intValue(),
                    r.get(2).intValue(),
                    r.get(3).intValue(),
                    f(r.get(4)),
                    f(r.get(5)),
                    f(r.get(6)),
                    f(r.get(7)),
                    f(r.get(8)),
                    f(r.get(9)),
                    (flags & 1) != 0,
                    (flags & 2) != 0));
        }
        return out;
    }

    static <T> T json(byte[] body, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("not the JSON expected: " + e.getMessage(), e);
        }
    }

    private static Float f(float v) {
        return Float.isNaN(v) ? null : v;
    }

    private static float f(Number n) {
        return n == null ? Float.NaN : n.floatValue();
    }
}
