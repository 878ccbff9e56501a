package io.fnwatch.ingest.pull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Where each pulled source stands, for {@code /readyz}: {@code starting}, {@code running}, or {@code failing}
 * with the last error, since when; a source recovers to running at its next success. A failing source makes the
 * instance not ready: its logs are not arriving, and readiness is what the operator watches.
 */
public final class PullHealth {

    public enum State {
        STARTING,
        RUNNING,
        FAILING
    }

    record Status(String source, State state, String detail, long since) {}

    private final Map<String, Status> statuses = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public PullHealth(LongSupplier clock) {
        this.clock = clock;
    }

    public void starting(PullSource s) {
        statuses.put(key(s), new Status(key(s), State.STARTING, null, clock.getAsLong()));
    }

    public void running(PullSource s) {
        Status now = statuses.get(key(s));
        if (now == null || now.state() != State.RUNNING) {
            statuses.put(key(s), new Status(key(s), State.RUNNING, null, clock.getAsLong()));
        }
    }

    public void failing(PullSource s, String detail) {
        Status now = statuses.get(key(s));
        long since = now != null && now.state() == State.FAILING ? now.since() : clock.getAsLong();
        statuses.put(key(s), new Status(key(s), State.FAILING, detail, since));
    }

    public State state(PullSource s) {
        Status now = statuses.get(key(s));
        return now == null ? null : now.state();
    }

    public boolean healthy() {
        return statuses.values().stream().noneMatch(s -> s.state() == State.FAILING);
    }

    /** One map per source, for a JSON body. */
    public List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        statuses.values().stream()
                .sorted(java.util.Comparator.comparing(Status::source))
                .forEach(s -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("source", s.source());
                    m.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
                    m.put("since", Instant.ofEpochMilli(s.since()).toString());
                    if (s.detail() != null) {
                        m.put("problem", s.detail());
                    }
                    out.add(m);
                });
        return out;
    }

    private static String key(PullSource s) {
        return s.kind() + ":" + s.name();
    }
}
