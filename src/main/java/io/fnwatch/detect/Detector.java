package io.fnwatch.detect;

import io.fnwatch.model.FunctionEvent;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;

/**
 * What one detector remembers about one function, and how it judges each of the function's events. A fresh
 * instance per function comes from its {@link DetectorSpec}; {@code S} is the detector's settings record,
 * resolved per function from its YAML file.
 *
 * <p>{@link #write} and {@link #read} are the detector's part of the stored state: {@code read} must read back
 * exactly what {@code write} wrote under the same {@link DetectorSpec#stateVersion()}. When the layout changes,
 * bump that version: state written under another version is not read, the detector relearns that function,
 * unless it declares with {@link #reads(int)} that it still reads that older layout.
 */
public interface Detector<S> {

    /** Judges one event (in event-time order, late ones already filtered) and emits any alerts to {@code out}. */
    void onEvent(FunctionEvent e, S settings, Emitter out);

    /**
     * Stream time has reached {@code now} without this function: no event before {@code now} is still to
     * come, except late ones within the grace, which {@link #onEvent} places itself. The detector closes what
     * ended by {@code now} (buckets, windows, silences) and emits what that decides: drops seen while the
     * function is silent, incidents resolving while it is quiet. Called at {@link #deadline} or later (never
     * before), and never with a {@code now} earlier than an earlier call's.
     */
    default void advance(long now, S settings, Emitter out) {}

    /**
     * The earliest stream time at which {@link #advance} may change something if no event comes first, or
     * {@link Long#MAX_VALUE} when nothing is pending. Kept in an index, so a tick costs nothing for functions
     * with nothing pending: return MAX_VALUE whenever possible, and a time no earlier than needed otherwise.
     */
    default long deadline(S settings) {
        return Long.MAX_VALUE;
    }

    void write(DataOutput out) throws IOException;

    void read(DataInput in) throws IOException;

    /**
     * True when this detector can still read a section written under the older state {@code version} (with
     * {@link #read(DataInput, int)}); false (the default) makes it relearn the function instead.
     */
    default boolean reads(int version) {
        return false;
    }

    /** Reads a section written under an older {@code version} for which {@link #reads} is true. */
    default void read(DataInput in, int version) throws IOException {
        read(in);
    }

    /** True while the baseline is still being learned (the function shows WARMUP for this detector's types). */
    default boolean warmingUp(S settings) {
        return false;
    }

    /** Start (event time) of the open incident the status page lists under the first alert type, or -1. */
    default long openSince() {
        return -1;
    }

    /** Adds read-only baseline figures to the status page's {@code baselines}, under the detector's own key. */
    default void describe(S settings, Map<String, Object> baselines) {}
}
