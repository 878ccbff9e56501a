package io.fnwatch.bench;

import io.fnwatch.bench.fleet.ProbeActions;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.detect.Emitter;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.detect.StaleFunctionModel;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The incidents of {@code bench latency}, each on a function of its own, in turn: a function silent for longer
 * than {@code dormantAfter} runs again (STALE_FUNCTION_INVOKED), a function writes an access key to its logs
 * (SECRET_IN_LOGS), a function is denied one action after another as stolen credentials probe
 * (PERMISSION_DENIED_BURST). Which record completes an incident is not assumed: the candidate records are
 * replayed through the function's detectors, with the run's settings, and the first one that raises the
 * alert completes it; the records before it build it up.
 */
final class LatencyIncidents {

    static final String PREFIX = "incident-";
    static final AlertType[] TYPES = {
        AlertType.STALE_FUNCTION_INVOKED, AlertType.SECRET_IN_LOGS, AlertType.PERMISSION_DENIED_BURST
    };
    private static final int MAX_DENIALS = 60;
    private static final long DAY = 86_400_000L;

    /** One raw record: the event time it is stamped with and the bytes sent. */
    record Raw(long timestamp, byte[] value) {}

    /** An incident: its alert type, function, raw key, the records that build it up and the one that completes it. */
    record Planned(int index, AlertType type, String function, String key, List<Raw> buildUp, Raw completing) {}

    private final DetectorConfig detectors;
    private final LogParser parser;

    LatencyIncidents(DetectorConfig detectors, ParserSettings parser) {
        this.detectors = detectors;
        this.parser = new LogParser(parser);
    }

    /** Incident {@code index} with its completing record stamped {@code now}, the records before it earlier. */
    Planned plan(int index, long now) {
        AlertType type = TYPES[index % TYPES.length];
        String function =
                PREFIX + type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-" + index;
        LambdaLines fn = new LambdaLines(function, 256, index);
        List<Raw> candidates = candidates(type, fn, now, index);
        FunctionKey key = key(candidates.get(0));
        FunctionState state = new FunctionState();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            for (FunctionEvent e : parser.parse(candidates.get(i).value()).events()) {
                state.apply(e, detectors.forFunction(key), new Emitter(key, alerts));
            }
            if (alerts.stream().anyMatch(a -> a.type() == type && a.state() == AlertState.OPEN)) {
                return new Planned(
                        index,
                        type,
                        function,
                        key.asString(),
                        List.copyOf(candidates.subList(0, i)),
                        candidates.get(i));
            }
        }
        throw new IllegalStateException("with these detector settings no " + type + " is raised by " + candidates.size()
                + " records of " + function + " (is the detector disabled?)");
    }

    private List<Raw> candidates(AlertType type, LambdaLines fn, long now, int index) {
        List<Raw> out = new ArrayList<>();
        switch (type) {
            case STALE_FUNCTION_INVOKED -> {
                var stale = detectors.forFunction(key(fn, now)).of(StaleFunctionModel.SPEC);
                if (stale == null) {
                    throw new IllegalStateException(type + " is disabled: bench latency needs it");
                }
                long dormant = stale.dormantAfterMs();
                long before = now - dormant - DAY;
                String id = fn.requestId();
                out.add(new Raw(before, fn.start(before, id)));
                out.add(new Raw(before + 180, fn.report(before + 180, id, 180, -1)));
                out.add(new Raw(now, fn.start(now, fn.requestId())));
            }
            case SECRET_IN_LOGS -> {
                out.add(new Raw(now - 40, fn.start(now - 40, fn.requestId())));
                out.add(new Raw(now, fn.leak(now, index)));
            }
            case PERMISSION_DENIED_BURST -> {
                // a probe every 100 ms; the run's settings decide which denial makes it a burst
                for (int i = 0; i < MAX_DENIALS; i++) {
                    long t = now - 1_000 + i * 100L;
                    out.add(new Raw(t, fn.denied(t, ProbeActions.ALL.get(i % ProbeActions.ALL.size()))));
                }
            }
            default -> throw new IllegalArgumentException("no incident of type " + type);
        }
        return out;
    }

    private FunctionKey key(LambdaLines fn, long now) {
        return key(new Raw(now, fn.start(now, "00000000-0000-0000-0000-000000000000")));
    }

    /** The raw key, as {@code replay} keys the record. */
    private FunctionKey key(Raw r) {
        ParseResult parsed = parser.parse(r.value());
        String key = FileReplayer.functionKey(parsed);
        if (key == null) {
            throw new IllegalStateException(
                    "not a record of one function: " + new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return FunctionKey.parse(key);
    }
}
