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
 * Remembers when each function last ran and on which runtime, and alerts when a dormant function runs
 * again or a function runs on a runtime its provider has deprecated.
 *
 * <p>Rules: with {@code L} the event time of the function's last invocation (START, INIT or REPORT), an
 * invocation at {@code t} with {@code t − L ≥ dormantAfter} raises one STALE_FUNCTION_INVOKED; {@code L} then
 * becomes {@code t}, so the wake-up is reported once, and out-of-order events never move {@code L} back. An
 * invocation at {@code t} whose runtime (remembered from INIT_START / platform.initStart) was deprecated at or
 * before {@code t} per {@code deprecatedRuntimes} raises OUTDATED_RUNTIME_INVOKED at most once per
 * {@code outdatedEvery}. The model also says when the function's inventory entry should be republished.
 */
public final class StaleFunctionModel implements Detector<StaleFunctionModel.Settings> {

    public record Settings(
            long dormantAfterMs, long inventoryEveryMs, long outdatedEveryMs, Map<String, Long> deprecatedRuntimes) {}

    public static final DetectorSpec<Settings, StaleFunctionModel> SPEC = DetectorSpec.of(
                    "stale-function",
                    4,
                    StaleFunctionModel::new,
                    AlertType.STALE_FUNCTION_INVOKED,
                    AlertType.OUTDATED_RUNTIME_INVOKED)
            .withParams(
                    Param.duration("dormantAfter", "1h", "3650d", "silence after which an invocation alerts"),
                    Param.duration("inventoryEvery", "1m", "30d", "republish last-seen to the inventory this often"),
                    Param.duration(
                            "outdatedEvery",
                            "1h",
                            "365d",
                            "at most one outdated-runtime alert per function this often"))
            .withTable(DetectorSpec.Table.dates(
                    "deprecatedRuntimes", "provider:runtime to the date its provider ended support (YYYY-MM-DD)"))
            .withSettings(v -> new Settings(
                    v.millis("dormantAfter"),
                    v.millis("inventoryEvery"),
                    v.millis("outdatedEvery"),
                    v.table("deprecatedRuntimes")));

    private long firstSeen = -1;
    private long lastInvoked = -1;
    private long published = -1;
    private long outdatedAlertAt = Long.MIN_VALUE;
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

    @Override
    public void onEvent(FunctionEvent e, Settings s, Emitter out) {
        long t = e.epochMillis();
        String id = Runtimes.id(e.provider(), e.runtime());
        if (id != null && !id.equals(runtime)) {
            runtime = id;
            inventoryDirty = true;
        }
        boolean invoked = e.kind() == EventKind.START || e.kind() == EventKind.INVOCATION || e.kind() == EventKind.INIT;
        if (!invoked) {
            return;
        }
        if (firstSeen < 0) {
            firstSeen = t;
            inventoryDirty = true;
        } else if (lastInvoked >= 0 && t - lastInvoked >= s.dormantAfterMs()) {
            emitStale(lastInvoked, t, s, out);
            inventoryDirty = true;
        }
        if (t > lastInvoked) {
            lastInvoked = t;
            inventoryDirty |= t - published >= s.inventoryEveryMs();
        }
        Long deprecated = runtime == null ? null : s.deprecatedRuntimes().get(runtime);
        if (deprecated != null
                && t >= deprecated
                && (outdatedAlertAt == Long.MIN_VALUE || t - outdatedAlertAt >= s.outdatedEveryMs())) {
            emitOutdated(t, deprecated, out);
            outdatedAlertAt = t;
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

    private void emitStale(long last, long t, Settings s, Emitter out) {
        double silentDays = (t - last) / 86_400_000.0;
        double thresholdDays = s.dormantAfterMs() / 86_400_000.0;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("lastInvokedBefore", Instant.ofEpochMilli(last).toString());
        ev.put("silentFor", Duration.ofMillis(t - last).toString());
        ev.put("dormantAfter", Duration.ofMillis(s.dormantAfterMs()).toString());
        ev.put("firstSeen", Instant.ofEpochMilli(firstSeen).toString());
        ev.put("runtime", runtime);
        String summary = String.format(
                "%s ran again after %.1f days of silence (last run %s).",
                out.key().function(), silentDays, Instant.ofEpochMilli(last));
        out.emit(new Emitter.Draft(
                AlertType.STALE_FUNCTION_INVOKED,
                AlertState.OPEN,
                t,
                last,
                t,
                t,
                Scoring.score(silentDays, thresholdDays),
                silentDays,
                0,
                thresholdDays,
                summary,
                ev));
    }

    private void emitOutdated(long t, long deprecated, Emitter out) {
        double daysPast = (t - deprecated) / 86_400_000.0;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("runtime", runtime);
        ev.put("deprecatedOn", Instant.ofEpochMilli(deprecated).toString());
        ev.put("daysPastDeprecation", Scoring.round(daysPast));
        String summary = String.format(
                "%s ran on %s, deprecated by its provider on %s (%.0f days ago).",
                out.key().function(),
                runtime,
                Instant.ofEpochMilli(deprecated).toString().substring(0, 10),
                daysPast);
        out.emit(new Emitter.Draft(
                AlertType.OUTDATED_RUNTIME_INVOKED,
                AlertState.OPEN,
                t,
                deprecated,
                t,
                t,
                Scoring.score(1 + daysPast / 90, 1),
                daysPast,
                0,
                0,
                summary,
                ev));
    }

    @Override
    public void write(DataOutput o) throws IOException {
        o.writeLong(firstSeen);
        o.writeLong(lastInvoked);
        o.writeLong(published);
        o.writeLong(outdatedAlertAt);
        o.writeUTF(runtime == null ? "" : runtime);
        o.writeBoolean(inventoryDirty);
    }

    @Override
    public void read(DataInput in) throws IOException {
        firstSeen = in.readLong();
        lastInvoked = in.readLong();
        published = in.readLong();
        outdatedAlertAt = in.readLong();
        String r = in.readUTF();
        runtime = r.isEmpty() ? null : r;
        inventoryDirty = in.readBoolean();
    }
}
