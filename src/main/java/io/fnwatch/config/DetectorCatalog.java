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

    /**
     * One detector's declaration. {@code build} reads resolved values by name; {@code dateTable}, when set, is
     * a top-level mapping of names to dates (e.g. runtime deprecations) handed to {@code build} under that key
     * as {@code Map<String, Long>} of epoch milliseconds.
     */
    public record Spec(String file, List<Param> params, Function<Map<String, Object>, Object> build,
            String dateTable) {

        Spec(String file, List<Param> params, Function<Map<String, Object>, Object> build) {
            this(file, params, build, null);
        }
    }

    public static final Spec TRAFFIC = new Spec("traffic-spike", List.of(
            Param.duration("bucket", "10s", "1h", "length of one counting bucket"),
            Param.decimal("alpha", 0.0001, 1, "weight of the newest bucket in the baseline"),
            Param.integer("warmupBuckets", 0, 1_000_000, "buckets of history before alerting"),
            Param.decimal("z", 0.5, 100, "standard deviations above the mean that count as a spike"),
            Param.decimal("minRatio", 1, 1000, "a spike is at least this multiple of the expected count"),
            Param.integer("minCount", 1, 100_000_000, "a spike has at least this many invocations per bucket"),
            Param.integer("confirmBuckets", 1, 31, "anomalous buckets (of confirmWindow) before OPEN"),
            Param.integer("confirmWindow", 1, 31, "the last this many buckets are counted for confirmBuckets"),
            Param.integer("resolveBuckets", 1, 10_000, "normal buckets in a row before RESOLVED"),
            Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved"),
            Param.zone("timeZone", "local time of the hour-of-day and day-of-week rhythm"),
            Param.decimal("hourAlpha", 0, 1, "learning rate of the hour-of-day factors"),
            Param.decimal("dayAlpha", 0, 1, "learning rate of the day-of-week factors")),
        v -> new TrafficSpikeModel.Settings(l(v, "bucket"), d(v, "alpha"), i(v, "warmupBuckets"), d(v, "z"),
                d(v, "minRatio"), i(v, "minCount"), i(v, "confirmBuckets"), i(v, "confirmWindow"),
                i(v, "resolveBuckets"), l(v, "cooldown"), (java.time.ZoneId) v.get("timeZone"), d(v, "hourAlpha"),
                d(v, "dayAlpha")));

    public static final Spec DURATION = new Spec("duration-anomaly", List.of(
            Param.duration("window", "10s", "1h", "length of one evaluation window"),
            Param.decimal("alpha", 0.0001, 1, "weight of the newest full window in the baseline distribution"),
            Param.integer("warmupSamples", 0, 100_000_000, "warm invocations seen before alerting"),
            Param.integer("minSamples", 1, 100_000, "warm invocations a window needs to be judged"),
            Param.decimal("z", 0.5, 100, "binomial standard deviations of samples above the baseline quantile"),
            Param.decimal("minRatio", 1, 1000, "a median regression is at least this multiple of the usual median"),
            Param.decimal("tailRatio", 1, 1000, "a tail regression is at least this multiple of the usual p95"),
            Param.integer("minTailSamples", 1, 100_000, "samples above the usual p95 a tail regression needs"),
            Param.integer("minTimeouts", 1, 100_000, "timeouts a window needs to be a timeout surge"),
            Param.decimal("timeoutRatio", 1, 10_000, "a surge is this multiple of the usual timeout rate"),
            Param.integer("confirmWindows", 1, 31, "anomalous windows in a row before OPEN"),
            Param.integer("resolveWindows", 1, 10_000, "normal windows in a row before RESOLVED"),
            Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved")),
        v -> new DurationModel.Settings(l(v, "window"), d(v, "alpha"), i(v, "warmupSamples"), i(v, "minSamples"),
                d(v, "z"), d(v, "minRatio"), d(v, "tailRatio"), i(v, "minTailSamples"), i(v, "minTimeouts"),
                d(v, "timeoutRatio"), i(v, "confirmWindows"), i(v, "resolveWindows"), l(v, "cooldown")));

    public static final Spec DENIALS = new Spec("permission-denied-burst", List.of(
            Param.integer("windowMinutes", 1, 60, "length of the sliding window in minutes"),
            Param.decimal("alpha", 0.00001, 1, "weight of the newest minute in the baseline rate"),
            Param.integer("warmupMinutes", 0, 10_000_000, "minutes of history before the baseline counts"),
            Param.integer("minDenials", 1, 1_000_000, "absolute floor: denials in the window that always alert"),
            Param.decimal("ratio", 1, 10_000, "a burst is this multiple of the usual denials"),
            Param.decimal("z", 0, 100, "plus this many Poisson standard deviations"),
            Param.integer("newActionWeight", 1, 100, "a denial of an action never denied before counts this much"),
            Param.integer("resolveMinutes", 1, 10_000, "minutes below the threshold before RESOLVED"),
            Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved")),
        v -> new DenialBurstModel.Settings(i(v, "windowMinutes"), d(v, "alpha"), i(v, "warmupMinutes"),
                i(v, "minDenials"), d(v, "ratio"), d(v, "z"), i(v, "newActionWeight"), i(v, "resolveMinutes"),
                l(v, "cooldown")));

    @SuppressWarnings("unchecked")
    public static final Spec STALE = new Spec("stale-function", List.of(
            Param.duration("dormantAfter", "1h", "3650d", "silence after which an invocation alerts"),
            Param.duration("inventoryEvery", "1m", "30d", "republish last-seen to the inventory this often"),
            Param.duration("outdatedEvery", "1h", "365d", "at most one outdated-runtime alert per function this often")),
        v -> new StaleFunctionModel.Settings(l(v, "dormantAfter"), l(v, "inventoryEvery"), l(v, "outdatedEvery"),
                (Map<String, Long>) v.getOrDefault("deprecatedRuntimes", Map.of())),
        "deprecatedRuntimes");

    public static final Spec SECRETS = new Spec("secret-in-logs", List.of(
            Param.duration("every", "1m", "30d", "at most one alert per function this often")),
        v -> new SecretLeakModel.Settings(l(v, "every")));

    public static final List<Spec> ALL = List.of(TRAFFIC, DURATION, DENIALS, STALE, SECRETS);

    private DetectorCatalog() {
    }

    private static int i(Map<String, Object> v, String k) {
        return ((Number) v.get(k)).intValue();
    }

    private static long l(Map<String, Object> v, String k) {
        return ((Number) v.get(k)).longValue();
    }

    private static double d(Map<String, Object> v, String k) {
        return ((Number) v.get(k)).doubleValue();
    }
}
