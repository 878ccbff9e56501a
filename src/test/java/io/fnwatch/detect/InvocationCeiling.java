package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test-only detector, written as docs/contributing.md says a new one is: a fixed ceiling on invocations per
 * bucket. It reuses {@link AlertType#TRAFFIC_SPIKE} (a static spike), so no enum constant is needed.
 *
 * <p>Rule: the first invocation of a bucket that takes its count above {@code max} raises one OPEN alert.
 */
final class InvocationCeiling implements Detector<InvocationCeiling.Settings> {

    record Settings(long bucketMs, int max) {}

    static final DetectorSpec<Settings, InvocationCeiling> SPEC = DetectorSpec.of(
                    "invocation-ceiling", 200, InvocationCeiling::new, AlertType.TRAFFIC_SPIKE)
            .withParams(
                    Param.duration("bucket", "10s", "1h", "counting bucket"),
                    Param.integer("max", 1, 1_000_000_000, "invocations per bucket above which it alerts"))
            .withSettings(v -> new Settings(v.millis("bucket"), v.integer("max")));

    private long bucketStart = -1;
    private int count;

    @Override
    public void onEvent(FunctionEvent e, Settings s, Emitter out) {
        if (e.kind() != EventKind.INVOCATION) {
            return;
        }
        long t = e.epochMillis();
        long bucket = Math.floorDiv(t, s.bucketMs()) * s.bucketMs();
        if (bucket > bucketStart) {
            bucketStart = bucket;
            count = 0;
        }
        if (++count != s.max() + 1) {
            return;
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("rule", "ceiling");
        ev.put("bucketSeconds", s.bucketMs() / 1000);
        String summary =
                String.format("%s ran more than %d times in %d s.", out.key().function(), s.max(), s.bucketMs() / 1000);
        out.emit(new Emitter.Draft(
                AlertType.TRAFFIC_SPIKE,
                AlertState.OPEN,
                bucketStart,
                bucketStart,
                bucketStart + s.bucketMs(),
                t,
                Scoring.score(count, s.max()),
                count,
                0,
                s.max(),
                summary,
                ev));
    }

    @Override
    public void write(DataOutput o) throws IOException {
        o.writeLong(bucketStart);
        o.writeInt(count);
    }

    @Override
    public void read(DataInput in) throws IOException {
        bucketStart = in.readLong();
        count = in.readInt();
    }
}
