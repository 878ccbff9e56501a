package io.fnwatch.config;

import io.fnwatch.detect.DenialBurstModel;
import io.fnwatch.detect.DurationModel;
import io.fnwatch.detect.SecretLeakModel;
import io.fnwatch.detect.StaleFunctionModel;
import io.fnwatch.detect.TrafficSpikeModel;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The detectors, their YAML file names, their settings with ranges, and how they become typed settings. */
public final class DetectorCatalog {

    /** One detector's declaration. {@code build} reads resolved values by name. */
    public record Spec(String file, List<Param> params, Function<Map<String, Double>, Object> build) {
    }

    public static final Spec TRAFFIC = new Spec("traffic-spike", List.of(
            Param.duration("bucket", "10s", "1h", "length of one counting bucket"),
            Param.decimal("alpha", 0.0001, 1, "weight of the newest bucket in the baseline"),
            Param.integer("warmupBuckets", 0, 1_000_000, "buckets of history before alerting"),
            Param.decimal("z", 0.5, 100, "standard deviations above the mean that count as a spike"),
            Param.decimal("minRatio", 1, 1000, "a spike is at least this multiple of the expected count"),
            Param.integer("minCount", 1, 100_000_000, "a spike has at least this many invocations per bucket"),
            Param.integer("confirmBuckets", 1, 100, "anomalous buckets in a row before OPEN"),
            Param.integer("resolveBuckets", 1, 10_000, "normal buckets in a row before RESOLVED"),
            Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved")),
        v -> new TrafficSpikeModel.Settings(l(v, "bucket"), v.get("alpha"), i(v, "warmupBuckets"), v.get("z"),
                v.get("minRatio"), i(v, "minCount"), i(v, "confirmBuckets"), i(v, "resolveBuckets"),
                l(v, "cooldown")));

    public static final Spec DURATION = new Spec("duration-anomaly", List.of(
            Param.duration("window", "10s", "1h", "length of one evaluation window"),
            Param.decimal("alpha", 0.0001, 1, "weight of the newest window in the baseline"),
            Param.integer("warmupSamples", 0, 100_000_000, "warm invocations seen before alerting"),
            Param.integer("minSamples", 1, 100_000, "warm invocations a window needs to be judged"),
            Param.decimal("z", 0.5, 100, "standard errors of the log-mean that count as slower"),
            Param.decimal("minRatio", 1, 1000, "a regression is at least this multiple of the usual duration"),
            Param.decimal("minSigma", 0, 10, "floor of the log-duration standard deviation"),
            Param.integer("minTimeouts", 1, 100_000, "timeouts a window needs to be a timeout surge"),
            Param.decimal("timeoutRatio", 1, 10_000, "a surge is this multiple of the usual timeout rate"),
            Param.integer("confirmWindows", 1, 100, "anomalous windows in a row before OPEN"),
            Param.integer("resolveWindows", 1, 10_000, "normal windows in a row before RESOLVED"),
            Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved")),
        v -> new DurationModel.Settings(l(v, "window"), v.get("alpha"), i(v, "warmupSamples"), i(v, "minSamples"),
                v.get("z"), v.get("minRatio"), v.get("minSigma"), i(v, "minTimeouts"), v.get("timeoutRatio"),
                i(v, "confirmWindows"), i(v, "resolveWindows"), l(v, "cooldown")));

    public static final Spec DENIALS = new Spec("permission-denied-burst", List.of(
            Param.integer("windowMinutes", 1, 60, "length of the sliding window in minutes"),
            Param.decimal("alpha", 0.00001, 1, "weight of the newest minute in the baseline rate"),
            Param.integer("warmupMinutes", 0, 10_000_000, "minutes of history before the baseline counts"),
            Param.integer("minDenials", 1, 1_000_000, "absolute floor: denials in the window that always alert"),
            Param.decimal("ratio", 1, 10_000, "a burst is this multiple of the usual denials"),
            Param.decimal("z", 0, 100, "plus this many Poisson standard deviations"),
            Param.integer("resolveMinutes", 1, 10_000, "minutes below the threshold before RESOLVED"),
            Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved")),
        v -> new DenialBurstModel.Settings(i(v, "windowMinutes"), v.get("alpha"), i(v, "warmupMinutes"),
                i(v, "minDenials"), v.get("ratio"), v.get("z"), i(v, "resolveMinutes"), l(v, "cooldown")));

    public static final Spec STALE = new Spec("stale-function", List.of(
            Param.duration("dormantAfter", "1h", "3650d", "silence after which an invocation alerts"),
            Param.duration("inventoryEvery", "1m", "30d", "republish last-seen to the inventory this often")),
        v -> new StaleFunctionModel.Settings(l(v, "dormantAfter"), l(v, "inventoryEvery")));

    public static final Spec SECRETS = new Spec("secret-in-logs", List.of(
            Param.duration("every", "1m", "30d", "at most one alert per function this often")),
        v -> new SecretLeakModel.Settings(l(v, "every")));

    public static final List<Spec> ALL = List.of(TRAFFIC, DURATION, DENIALS, STALE, SECRETS);

    private DetectorCatalog() {
    }

    private static int i(Map<String, Double> v, String k) {
        return v.get(k).intValue();
    }

    private static long l(Map<String, Double> v, String k) {
        return v.get(k).longValue();
    }
}
