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
 * before {@code t} per {@code deprecatedRuntimes} opens one OUTDATED_RUNTIME_INVOKED incident for that function
 * and runtime; it stays open, without repeats, and resolves when the function runs on another runtime (or on
 * one no longer deprecated per the table) or once it has been silent for {@code dormantAfter}. Where the table
 * gives the provider's later phases ({@link RuntimeLifecycle}: function creation blocked, then updates blocked),
 * the incident is updated once as each is reached (an OPEN of the same id, its severity one step up), so one
 * function on one runtime gives at most one OPEN, two updates and one RESOLVED. The model also says when the
 * function's inventory entry should be republished.
 */
public final class StaleFunctionModel implements Detector<StaleFunctionModel.Settings> {

    public record Settings(
            long dormantAfterMs, long inventoryEveryMs, Map<String, RuntimeLifecycle> deprecatedRuntimes) {}

    public static final DetectorSpec<Settings, StaleFunctionModel> SPEC = DetectorSpec.of(
                    "stale-function",
                    4,
                    StaleFunctionModel::new,
                    AlertType.STALE_FUNCTION_INVOKED,
                    AlertType.OUTDATED_RUNTIME_INVOKED)
            .withParams(
                    Param.duration("dormantAfter", "1h", "3650d", "silence after which an invocation alerts"),
                    Param.duration("inventoryEvery", "1m", "30d", "republish last-seen to the inventory this often"))
            .withStateVersion(2) // 2: the deprecation phase the open incident reported
            .withTable(RuntimeLifecycle.table("deprecatedRuntimes"))
            .withSettings(v ->
                    new Settings(v.millis("dormantAfter"), v.millis("inventoryEvery"), v.table("deprecatedRuntimes")));

    private long firstSeen = -1;
    private long lastInvoked = -1;
    private long published = -1;
    /**
     * Start (event time) of the open outdated-runtime incident, on {@link #runtime}, or MIN_VALUE. Same bytes
     * as the state version 1 field "time of the last outdated alert": restored old state holds that alert's
     * incident open, and this build resolves it (same id) instead of repeating it.
     */
    private long outdatedSince = Long.MIN_VALUE;

    /** The deprecation phase the open outdated-runtime incident last reported ({@link RuntimeLifecycle#phase}). */
    private byte phase;

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
            if (outdatedSince != Long.MIN_VALUE) {
                resolveOutdated(t, "runtimeChanged", id, s, out);
            }
            runtime = id;
            inventoryDirty = true;
        }
        boolean invoked = e.kind() == EventKind.START || e.kind() == EventKind.INVOCATION || e.kind() == EventKind.INIT;
        if (!invoked) {
            return;
        }
        advance(t, s, out);
        if (firstSeen < 0) {
            firstSeen = t;
            inventoryDirty = true;
        }
        // lastInvoked without firstSeen comes from an inventory seed: the first invocation may be a wake-up
        if (lastInvoked >= 0 && t - lastInvoked >= s.dormantAfterMs()) {
            emitStale(lastInvoked, t, s, out);
            inventoryDirty = true;
        }
        if (t > lastInvoked) {
            lastInvoked = t;
            inventoryDirty |= t - published >= s.inventoryEveryMs();
        }
        if (runtime == null) {
            return;
        }
        RuntimeLifecycle lifecycle = s.deprecatedRuntimes().get(runtime);
        int reached = lifecycle == null ? 0 : lifecycle.phase(t);
        if (reached > 0 && outdatedSince == Long.MIN_VALUE) {
            outdatedSince = t;
            phase = (byte) reached;
            emitOutdated(t, lifecycle, out);
        } else if (reached == 0 && outdatedSince != Long.MIN_VALUE) {
            resolveOutdated(t, "supportedRuntime", runtime, s, out); // e.g. a date moved later in the table
        } else {
            nextPhase(t, s, out);
        }
    }

    /** Updates the open incident once when its runtime has reached a later deprecation phase by {@code now}. */
    private void nextPhase(long now, Settings s, Emitter out) {
        if (outdatedSince == Long.MIN_VALUE || runtime == null) {
            return; // no incident to update: no table lookup on every invocation
        }
        RuntimeLifecycle lifecycle = s.deprecatedRuntimes().get(runtime);
        if (lifecycle != null && lifecycle.phase(now) > phase) {
            phase = (byte) lifecycle.phase(now);
            emitOutdated(now, lifecycle, out);
        }
    }

    /**
     * Moves this function's clock to {@code now} (event or stream time) without an invocation: an open
     * outdated-runtime incident resolves once the function has been silent for {@code dormantAfter}. Called
     * before each invocation is judged, and by the stream-time tick at {@link #deadline}.
     */
    @Override
    public void advance(long now, Settings s, Emitter out) {
        if (outdatedSince != Long.MIN_VALUE && lastInvoked >= 0 && now - lastInvoked >= s.dormantAfterMs()) {
            resolveOutdated(now, "silent", null, s, out);
        } else {
            nextPhase(now, s, out);
        }
    }

    @Override
    public long deadline(Settings s) {
        if (outdatedSince == Long.MIN_VALUE || lastInvoked < 0) {
            return Long.MAX_VALUE;
        }
        RuntimeLifecycle lifecycle =
                runtime == null ? null : s.deprecatedRuntimes().get(runtime);
        long nextPhase = lifecycle == null ? Long.MAX_VALUE : lifecycle.next(phase);
        return Math.min(lastInvoked + s.dormantAfterMs(), nextPhase);
    }

    /** Start of the open outdated-runtime incident, or -1. */
    public long outdatedSince() {
        return outdatedSince == Long.MIN_VALUE ? -1 : outdatedSince;
    }

    /**
     * Learns from an inventory seed (e.g. written by the CloudWatch puller from DescribeLogStreams and
     * ListFunctions) when the function last ran before fnwatch saw it, and its runtime, unless this detector
     * already knows better: a function dormant for months before fnwatch started then alerts on its first
     * invocation. Neither value moves anything backwards; no alert is raised here.
     *
     * @param lastInvokedMs epoch ms of the last invocation the provider knows of, or -1
     * @param runtimeId runtime in {@link Runtimes#id} form, or null
     * @return true when the state changed (the caller stores it)
     */
    public boolean seed(long lastInvokedMs, String runtimeId) {
        boolean changed = false;
        if (lastInvoked < 0 && lastInvokedMs >= 0) {
            lastInvoked = lastInvokedMs;
            published = lastInvokedMs; // the seed is already in the inventory
            changed = true;
        }
        if (runtime == null && runtimeId != null && !runtimeId.isBlank()) {
            runtime = runtimeId;
            changed = true;
        }
        return changed;
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

    /** The OPEN of the incident, or its update when {@link #phase} moved on; severity steps up per phase. */
    private void emitOutdated(long t, RuntimeLifecycle lifecycle, Emitter out) {
        long deprecated = lifecycle.deprecated();
        double daysPast = (t - deprecated) / 86_400_000.0;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("runtime", runtime);
        ev.put("deprecatedOn", day(deprecated));
        ev.put("daysPastDeprecation", Scoring.round(daysPast));
        ev.put("phase", RuntimeLifecycle.PHASES.get(phase));
        ev.put("functionCreateBlockedOn", day(lifecycle.blockCreate()));
        ev.put("functionUpdateBlockedOn", day(lifecycle.blockUpdate()));
        String summary = String.format(
                "%s ran on %s, deprecated by its provider on %s (%.0f days ago)%s.",
                out.key().function(),
                runtime,
                day(deprecated).substring(0, 10),
                daysPast,
                phase == 3
                        ? "; functions on it can no longer be updated"
                        : phase == 2 ? "; no new functions on it" : "");
        out.emit(new Emitter.Draft(
                AlertType.OUTDATED_RUNTIME_INVOKED,
                AlertState.OPEN,
                outdatedSince,
                lifecycle.date(phase),
                t,
                t,
                Scoring.score((1 + daysPast / 90) * Math.pow(4, phase - 1), 1),
                daysPast,
                0,
                0,
                summary,
                ev));
    }

    private static String day(long millis) {
        return millis == Long.MAX_VALUE ? null : Instant.ofEpochMilli(millis).toString();
    }

    private void resolveOutdated(long now, String reason, String newRuntime, Settings s, Emitter out) {
        long since = outdatedSince;
        outdatedSince = Long.MIN_VALUE;
        phase = 0;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("runtime", runtime);
        ev.put("resolvedBy", reason);
        if (newRuntime != null) {
            ev.put("newRuntime", newRuntime);
        }
        ev.put("lastInvoked", Instant.ofEpochMilli(Math.max(lastInvoked, since)).toString());
        String why = newRuntime == null
                ? String.format("has been silent for %.1f days", (now - lastInvoked) / 86_400_000.0)
                : newRuntime.equals(runtime) ? "runs on a supported runtime" : "now runs on " + newRuntime;
        String summary =
                String.format("%s no longer runs on %s: it %s.", out.key().function(), runtime, why);
        out.emit(new Emitter.Draft(
                AlertType.OUTDATED_RUNTIME_INVOKED,
                AlertState.RESOLVED,
                since,
                since,
                Math.max(lastInvoked, since),
                now,
                0,
                0,
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
        o.writeLong(outdatedSince);
        o.writeUTF(runtime == null ? "" : runtime);
        o.writeBoolean(inventoryDirty);
        o.writeByte(phase);
    }

    @Override
    public boolean reads(int version) {
        return version == 1;
    }

    /** Version 1 had no phase: an open incident reported the end of support, and updates from there. */
    @Override
    public void read(DataInput in, int version) throws IOException {
        readV1(in);
        phase = (byte) (outdatedSince == Long.MIN_VALUE ? 0 : 1);
    }

    @Override
    public void read(DataInput in) throws IOException {
        readV1(in);
        phase = in.readByte();
    }

    private void readV1(DataInput in) throws IOException {
        firstSeen = in.readLong();
        lastInvoked = in.readLong();
        published = in.readLong();
        outdatedSince = in.readLong();
        String r = in.readUTF();
        runtime = r.isEmpty() ? null : r;
        inventoryDirty = in.readBoolean();
    }
}
