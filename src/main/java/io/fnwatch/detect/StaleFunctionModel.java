package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers when each function last ran and alerts when a dormant one runs again.
 *
 * <p>Rule: with {@code L} the event time of the function's last invocation (START, INIT or REPORT), an
 * invocation at time {@code t} with {@code t − L ≥ dormantAfter} raises one STALE_FUNCTION_INVOKED alert;
 * {@code L} then becomes {@code t}, so the wake-up is reported once. Out-of-order events never move
 * {@code L} backwards. The model also tells the caller when the function's inventory entry changed enough
 * (first sight, runtime change, or {@code inventoryEvery} of progress) to be republished.
 */
public final class StaleFunctionModel {

    public record Settings(long dormantAfterMs, long inventoryEveryMs) {
    }

    private long firstSeen = -1;
    private long lastInvoked = -1;
    private long published = -1;
    private String runtime;
    private boolean inventoryDirty;

    public long firstSeen() {
        return firstSeen;
    }

    public long lastInvoked() {
        return lastInvoked;
    }

    public String runtime() {
        return runtime;
    }

    public void onEvent(FunctionEvent e, Settings s, Emitter out) {
        long t = e.epochMillis();
        if (e.runtime() != null && !e.runtime().equals(runtime)) {
            runtime = e.runtime();
            inventoryDirty = true;
        }
        boolean invoked = e.kind() == EventKind.START || e.kind() == EventKind.INVOCATION
                || e.kind() == EventKind.INIT;
        if (!invoked) {
            return;
        }
        if (firstSeen < 0) {
            firstSeen = t;
            inventoryDirty = true;
        } else if (lastInvoked >= 0 && t - lastInvoked >= s.dormantAfterMs()) {
            emit(lastInvoked, t, s, out);
            inventoryDirty = true;
        }
        if (t > lastInvoked) {
            lastInvoked = t;
            if (t - published >= s.inventoryEveryMs()) {
                inventoryDirty = true;
            }
        }
    }

    /** True once after the inventory entry should be republished; the caller then publishes it. */
    public boolean takeInventoryChange() {
        if (!inventoryDirty) {
            return false;
        }
        inventoryDirty = false;
        published = lastInvoked;
        return true;
    }

    private void emit(long last, long t, Settings s, Emitter out) {
        double silentDays = (t - last) / 86_400_000.0;
        double thresholdDays = s.dormantAfterMs() / 86_400_000.0;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("lastInvokedBefore", Instant.ofEpochMilli(last).toString());
        ev.put("silentFor", Duration.ofMillis(t - last).toString());
        ev.put("dormantAfter", Duration.ofMillis(s.dormantAfterMs()).toString());
        ev.put("firstSeen", Instant.ofEpochMilli(firstSeen).toString());
        ev.put("runtime", runtime);
        String summary = String.format("%s ran again after %.1f days of silence (last run %s).",
                out.key().function(), silentDays, Instant.ofEpochMilli(last));
        out.emit(new Emitter.Draft(AlertType.STALE_FUNCTION_INVOKED, AlertState.OPEN, t, last, t, t,
                Scoring.score(silentDays, thresholdDays), silentDays, 0, thresholdDays, summary, ev));
    }

    void write(DataOutput o) throws IOException {
        o.writeLong(firstSeen);
        o.writeLong(lastInvoked);
        o.writeLong(published);
        o.writeUTF(runtime == null ? "" : runtime);
        o.writeBoolean(inventoryDirty);
    }

    void read(DataInput in) throws IOException {
        firstSeen = in.readLong();
        lastInvoked = in.readLong();
        published = in.readLong();
        String r = in.readUTF();
        runtime = r.isEmpty() ? null : r;
        inventoryDirty = in.readBoolean();
    }
}
