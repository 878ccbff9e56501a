package io.fnwatch.detect;

import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything fnwatch needs to know about one detector besides its maths: the alert types it raises, its YAML
 * file ({@code detectors/<file>.yaml}) and settings, how resolved values become its settings record, any
 * check across settings, a fresh per-function {@link Detector}, and the id and version of its part of the
 * stored state. Each detector class declares one as {@code SPEC}; {@link Detectors#ALL} lists them.
 *
 * <p>{@code stateId} names the detector's section of the stored state and never changes: like a protobuf
 * field number, it is never reused, not even after the detector is removed. {@code stateVersion} is bumped
 * whenever {@link Detector#write} changes its layout; see {@link FunctionState}.
 *
 * @param file YAML file name without {@code .yaml}
 * @param types the alert types it raises; the first names its open incident on the status page
 * @param table an optional top-level mapping in the YAML file besides the settings (null when none)
 * @param events the kinds of event its {@link Detector#onEvent} reads (null: every event); events of other
 *     kinds are not handed to it, which spares a busy function's every other event a call into each model
 */
public record DetectorSpec<S, M extends Detector<S>>(
        String file,
        int stateId,
        int stateVersion,
        List<AlertType> types,
        Supplier<M> model,
        List<Param> params,
        Function<Values, S> settings,
        Check check,
        Table table,
        Set<EventKind> events) {

    /** A new spec with state version 1 and no settings yet: continue with {@link #withParams} and friends. */
    public static <S, M extends Detector<S>> DetectorSpec<S, M> of(
            String file, int stateId, Supplier<M> model, AlertType... types) {
        return new DetectorSpec<>(
                file, stateId, 1, List.of(types), model, List.of(), v -> null, Check.NONE, null, null);
    }

    public DetectorSpec<S, M> withParams(Param... ps) {
        return new DetectorSpec<>(
                file, stateId, stateVersion, types, model, List.of(ps), settings, check, table, events);
    }

    /** How the resolved values (every param, by name, already range-checked) become the settings record. */
    public DetectorSpec<S, M> withSettings(Function<Values, S> build) {
        return new DetectorSpec<>(file, stateId, stateVersion, types, model, params, build, check, table, events);
    }

    /** A check across settings, run on the file's defaults after each setting passed its own range check. */
    public DetectorSpec<S, M> withCheck(Check c) {
        return new DetectorSpec<>(file, stateId, stateVersion, types, model, params, settings, c, table, events);
    }

    public DetectorSpec<S, M> withTable(Table t) {
        return new DetectorSpec<>(file, stateId, stateVersion, types, model, params, settings, check, t, events);
    }

    /**
     * Only events of these kinds reach the detector's {@link Detector#onEvent}: declare it when {@code onEvent}
     * returns at once, changing nothing, for every other kind (time moves for it through {@link
     * Detector#advance} anyway).
     */
    public DetectorSpec<S, M> withEvents(EventKind first, EventKind... more) {
        return new DetectorSpec<>(
                file, stateId, stateVersion, types, model, params, settings, check, table, EnumSet.of(first, more));
    }

    public DetectorSpec<S, M> withStateVersion(int version) {
        return new DetectorSpec<>(file, stateId, version, types, model, params, settings, check, table, events);
    }

    /** One function's resolved settings by name: ints and decimals as numbers, durations as milliseconds. */
    public record Values(Map<String, Object> map) {

        public boolean has(String name) {
            return map.get(name) != null;
        }

        public int integer(String name) {
            return ((Number) map.get(name)).intValue();
        }

        public long millis(String name) {
            return ((Number) map.get(name)).longValue();
        }

        public double decimal(String name) {
            return ((Number) map.get(name)).doubleValue();
        }

        public ZoneId zone(String name) {
            return (ZoneId) map.get(name);
        }

        /** The value of the spec's {@link Table}, as its reader returned it. */
        @SuppressWarnings("unchecked")
        public <T> T table(String key) {
            return (T) map.get(key);
        }
    }

    /** Adds a problem (prefixed with {@code where}) for each inconsistency among the default values. */
    @FunctionalInterface
    public interface Check {
        Check NONE = (values, where, problems) -> {};

        void check(Values defaults, String where, List<String> problems);
    }

    /**
     * A top-level mapping in the YAML file next to {@code enabled}, {@code defaults} and {@code overrides}, the
     * same for every function (e.g. runtime deprecation dates). Its value reaches {@link #settings} under
     * {@code key}.
     */
    public record Table(String key, String doc, Reader reader) {

        @FunctionalInterface
        public interface Reader {
            /** Reads the raw YAML value (null when the key is absent); problems are added with {@code where}. */
            Object read(Object raw, String where, List<String> problems);
        }
    }
}
