package io.fnwatch.detect;

/**
 * The resolved settings of every detector for one function (defaults with that function's overrides).
 * A null member means the detector is disabled.
 */
public record DetectorSettings(
        long lateGraceMs,
        TrafficSpikeModel.Settings traffic,
        DurationModel.Settings duration,
        DenialBurstModel.Settings denials,
        StaleFunctionModel.Settings stale,
        SecretLeakModel.Settings secrets) {
}
