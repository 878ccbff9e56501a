package io.fnwatch.detect;

import java.util.Arrays;
import java.util.Objects;

/**
 * The resolved settings of every registered detector for one function (defaults with that function's
 * overrides), by position in the registry. A null entry means the detector is disabled.
 */
public final class DetectorSettings {

    private final Detectors registry;
    private final long lateGraceMs;
    private final Object[] settings;

    /** {@code settings[i]} belongs to {@code registry.get(i)}; the array is copied. */
    public DetectorSettings(Detectors registry, long lateGraceMs, Object[] settings) {
        if (settings.length != registry.size()) {
            throw new IllegalArgumentException(settings.length + " settings for " + registry.size() + " detectors");
        }
        this.registry = registry;
        this.lateGraceMs = lateGraceMs;
        this.settings = settings.clone();
    }

    /** Every detector of {@code registry} disabled: a start for {@link #with}. */
    public static DetectorSettings none(Detectors registry, long lateGraceMs) {
        return new DetectorSettings(registry, lateGraceMs, new Object[registry.size()]);
    }

    public Detectors registry() {
        return registry;
    }

    public long lateGraceMs() {
        return lateGraceMs;
    }

    /** The settings of {@code spec}, or null when it is disabled or not registered. */
    @SuppressWarnings("unchecked")
    public <S> S of(DetectorSpec<S, ?> spec) {
        int i = registry.indexOf(spec);
        return i < 0 ? null : (S) settings[i];
    }

    /** A copy with {@code spec}'s settings replaced (null disables it). */
    public <S> DetectorSettings with(DetectorSpec<S, ?> spec, S s) {
        int i = registry.indexOf(spec);
        if (i < 0) {
            throw new IllegalArgumentException(spec.file() + " is not registered in " + registry);
        }
        Object[] copy = settings.clone();
        copy[i] = s;
        return new DetectorSettings(registry, lateGraceMs, copy);
    }

    /** The settings at registry position {@code i} (the hot path reads them by position, without lookups). */
    Object at(int i) {
        return settings[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectorSettings d
                && d.registry == registry
                && d.lateGraceMs == lateGraceMs
                && Arrays.equals(d.settings, settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lateGraceMs, Arrays.hashCode(settings));
    }

    @Override
    public String toString() {
        return "DetectorSettings[lateGraceMs=" + lateGraceMs + ", " + registry + "=" + Arrays.toString(settings) + "]";
    }
}
