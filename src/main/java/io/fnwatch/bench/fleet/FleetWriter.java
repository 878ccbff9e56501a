package io.fnwatch.bench.fleet;

import static io.fnwatch.bench.fleet.FleetGenerator.DAY;
import static io.fnwatch.bench.fleet.FleetGenerator.MINUTE;
import static io.fnwatch.bench.fleet.FleetGenerator.START;

import io.fnwatch.model.AlertType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one function's logs as CloudWatch event JSON lines (gzip): INIT_START on cold starts, START and
 * REPORT per invocation (one function in ten uses the Lambda JSON log format), denials, leaks — with the
 * function's planted incidents applied minute by minute. Each function's lines come from its own random stream
 * (the seed and its name), so adding a function or a class of functions leaves the others' logs as they were.
 */
final class FleetWriter {

    private final long seed;
    private final int days;
    private Random r;
    private BufferedWriter out;
    private FleetFunction f;
    private boolean jsonFormat;
    private String stream;
    private long lines;

    FleetWriter(long seed, int days) {
        this.seed = seed;
        this.days = days;
    }

    long write(FleetFunction fn, Path file) throws IOException {
        f = fn;
        // one stream per function: adding or redrawing one function changes no other function's logs
        r = new Random(seed * 0x9E3779B97F4A7C15L + fn.name.hashCode());
        jsonFormat = r.nextDouble() < 0.1;
        stream = null;
        lines = 0;
        try (BufferedWriter w = new BufferedWriter(
                new OutputStreamWriter(
                        new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), StandardCharsets.UTF_8),
                1 << 16)) {
            out = w;
            if (f.dormant) {
                for (int d = 0; d < 5; d++) {
                    invoke(START - (40 - d) * DAY + 2 * 3_600_000L, 1, false);
                }
            }
            boolean noisyDenials = r.nextDouble() < 0.1;
            for (long t = START; t < START + days * DAY; t += MINUTE) {
                minute(t, noisyDenials);
            }
        }
        return lines;
    }

    private void minute(long t, boolean noisyDenials) throws IOException {
        long[] at;
        if (f.cronMinutes > 0) {
            // on the dot, give or take the scheduler's second
            at = Math.floorMod(t / MINUTE, f.cronMinutes) == 0 ? new long[] {t + r.nextInt(1_000)} : new long[0];
        } else {
            double lambda = f.plannedRate(t) + spikeExtra(t);
            PlantedIncident wake = f.incidentAt(t, AlertType.STALE_FUNCTION_INVOKED);
            int n = FleetFunction.poisson(lambda, r) + (wake != null && wake.start() == t ? 3 : 0);
            at = new long[n];
            for (int i = 0; i < n; i++) {
                at[i] = t + (long) (r.nextDouble() * MINUTE);
            }
        }
        Arrays.sort(at);
        for (long time : at) {
            invoke(time, t >= f.deployAt ? f.deployShift : 1, true);
        }
        if (f.surgeConcurrency > 0 && t >= f.surgeStart && t < f.surgeEnd) {
            surge(t);
        }
        PlantedIncident probe = f.incidentAt(t, AlertType.PERMISSION_DENIED_BURST);
        int denials = probe != null ? 6 : noisyDenials && r.nextDouble() < 2.0 / 1440 ? 1 : 0;
        for (int i = 0; i < denials; i++) {
            String action =
                    probe != null ? ProbeActions.ALL.get(r.nextInt(ProbeActions.ALL.size())) : "ssm:GetParameter";
            deny(t + (long) (r.nextDouble() * MINUTE), action);
        }
        PlantedIncident leak = f.incidentAt(t, AlertType.SECRET_IN_LOGS);
        if (leak != null && leak.start() == t) {
            line(t + 1_000, "%sZ\t%s\tINFO\tusing key AKIA%s for the export", iso(t + 1_000), uuid(), randomUpper(16));
        }
    }

    /** The extra calls of a concurrency surge in the minute at {@code t} (Little's law: rate = concurrency / duration). */
    private void surge(long t) throws IOException {
        int n = FleetFunction.poisson(f.surgeConcurrency / f.surgeDurationMs * MINUTE, r);
        long[] at = new long[n];
        for (int i = 0; i < n; i++) {
            at[i] = t + (long) (r.nextDouble() * MINUTE);
        }
        Arrays.sort(at);
        for (long time : at) {
            String id = uuid();
            double d = f.surgeDurationMs * (0.8 + 0.4 * r.nextDouble());
            start(time, id);
            report(time + (long) d, id, d, -1, "success");
        }
    }

    private double spikeExtra(long t) {
        PlantedIncident s = f.incidentAt(t, AlertType.TRAFFIC_SPIKE);
        if (s == null || s.shape().startsWith("quiet")) {
            return 0; // a quiet function's spike scales its rate: FleetFunction.plannedRate
        }
        double base = Math.max(f.perMinute, 1);
        return switch (s.shape()) {
            case "burst" -> Math.max(60, 15 * base);
            case "ramp" ->
                Math.max(60, 10 * base) * Math.min(1, (t - s.start() + MINUTE) / (double) (s.end() - s.start()) * 2);
            default -> Math.max(40, 8 * base);
        };
    }

    private void invoke(long t, double shift, boolean incidents) throws IOException {
        boolean cold = stream == null || r.nextDouble() < f.coldRate;
        if (cold) {
            stream = Instant.ofEpochMilli(t).toString().substring(0, 10).replace('-', '/') + "/[$LATEST]"
                    + uuid().replace("-", "");
            initStart(t);
        }
        String id = uuid();
        double d = f.medianMs * shift * Math.exp(r.nextGaussian() * f.sigma);
        String status = "success";
        PlantedIncident slow = incidents ? f.incidentAt(t, AlertType.DURATION_ANOMALY) : null;
        if (slow != null && "median".equals(slow.shape())) {
            d *= 3;
        } else if (slow != null && "tail".equals(slow.shape()) && r.nextDouble() < 0.15) {
            d *= 10;
        }
        double timeoutMs = Math.max(3000, f.medianMs * 8);
        if (slow != null && "timeouts".equals(slow.shape()) && r.nextDouble() < 0.25 || r.nextDouble() < 0.001) {
            d = timeoutMs;
            status = "timeout";
        }
        PlantedIncident cost = incidents && f.costFactor != 1 ? f.incidentAt(t, AlertType.COST_SPIKE) : null;
        if (cost != null && "duration".equals(cost.shape())) {
            d *= f.costFactor;
        }
        start(t, id);
        errorType = null;
        if (f.errorRate > 0 && "success".equals(status)) {
            PlantedIncident burst = incidents ? f.incidentAt(t, AlertType.ERROR_BURST) : null;
            if (r.nextDouble() < (burst != null ? f.burstErrorRate : f.errorRate)) {
                status = "error";
                errorType = ERROR_TYPES[r.nextInt(ERROR_TYPES.length)];
                applicationError(t + (long) (d * 0.9), id, errorType);
            }
        }
        if (f.emfLevel > 0) {
            emf(t + (long) (d * 0.9), id, incidents);
        }
        report(t + (long) d, id, d, cold ? 150 + r.nextDouble() * 600 : -1, status);
    }

    private static final String[] ERROR_TYPES = {"TypeError", "Runtime.UnhandledPromiseRejection", "ValidationError"};
    /** The error type of the failed call being written (null: none). */
    private String errorType;

    /** The ERROR line a runtime writes for an invocation that fails (Node's "Invoke Error"). */
    private void applicationError(long t, String id, String type) throws IOException {
        if (jsonFormat) {
            line(
                    t,
                    "{\"timestamp\":\"%sZ\",\"level\":\"ERROR\",\"requestId\":\"%s\",\"message\":{\"errorType\":\"%s\","
                            + "\"errorMessage\":\"order %d could not be processed\"}}",
                    iso(t),
                    id,
                    type,
                    t % 100_000);
        } else {
            line(
                    t,
                    "%sZ\t%s\tERROR\tInvoke Error \t{\"errorType\":\"%s\",\"errorMessage\":\"order %d could not be processed\"}",
                    iso(t),
                    id,
                    type,
                    t % 100_000);
        }
    }

    private void initStart(long t) throws IOException {
        if (jsonFormat) {
            line(
                    t,
                    "{\"time\":\"%s\",\"type\":\"platform.initStart\",\"record\":{\"initializationType\":\"on-demand\","
                            + "\"phase\":\"init\",\"runtimeVersion\":\"%s\",\"functionName\":\"%s\",\"functionVersion\":"
                            + "\"$LATEST\"}}",
                    iso(t),
                    f.runtime,
                    f.name);
        } else {
            line(
                    t,
                    "INIT_START Runtime Version: %s\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:0f0f",
                    f.runtime);
        }
    }

    private void start(long t, String id) throws IOException {
        if (jsonFormat) {
            line(
                    t,
                    "{\"time\":\"%s\",\"type\":\"platform.start\",\"record\":{\"requestId\":\"%s\",\"version\":"
                            + "\"$LATEST\"}}",
                    iso(t),
                    id);
        } else {
            line(t, "START RequestId: %s Version: $LATEST", id);
        }
    }

    private void report(long t, String id, double d, double init, String status) throws IOException {
        int used = (int) (f.memoryMb * (0.2 + 0.3 * r.nextDouble()));
        if (jsonFormat) {
            line(
                    t,
                    "{\"time\":\"%s\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"%s\",\"metrics\":"
                            + "{\"durationMs\":%.3f,\"billedDurationMs\":%d,\"memorySizeMB\":%d,\"maxMemoryUsedMB\":%d%s},"
                            + "\"status\":\"%s\"%s}}",
                    iso(t),
                    id,
                    d,
                    (long) Math.ceil(d),
                    f.memoryAt(t),
                    used,
                    init >= 0 ? String.format(Locale.ROOT, ",\"initDurationMs\":%.3f", init) : "",
                    status,
                    errorType != null ? ",\"errorType\":\"" + errorType + "\"" : "");
        } else {
            line(
                    t,
                    "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\t"
                            + "Max Memory Used: %d MB\t%s%s",
                    id,
                    d,
                    (long) Math.ceil(d),
                    f.memoryAt(t),
                    used,
                    init >= 0 ? String.format(Locale.ROOT, "Init Duration: %.2f ms\t", init) : "",
                    "timeout".equals(status)
                            ? "Status: timeout"
                            : errorType != null ? "Status: error\tError Type: " + errorType : "");
        }
    }

    /** What Powertools for AWS Lambda flushes at the end of an invocation: a latency and a count metric. */
    private void emf(long t, String id, boolean incidents) throws IOException {
        PlantedIncident shift = incidents ? f.incidentAt(t, AlertType.METRIC_ANOMALY) : null;
        double factor = shift == null ? 1 : "spike".equals(shift.shape()) ? 10 : 3;
        double latency = f.emfLevel * factor * Math.exp(0.25 * r.nextGaussian());
        line(
                t,
                "{\"_aws\":{\"Timestamp\":%d,\"CloudWatchMetrics\":[{\"Namespace\":\"Shop\",\"Dimensions\":"
                        + "[[\"service\"]],\"Metrics\":[{\"Name\":\"ProcessingLatency\",\"Unit\":\"Milliseconds\"},"
                        + "{\"Name\":\"ItemsProcessed\",\"Unit\":\"Count\"}]}]},\"service\":\"%s\","
                        + "\"ProcessingLatency\":%.2f,\"ItemsProcessed\":%d,\"requestId\":\"%s\"}",
                t,
                f.name,
                latency,
                1 + FleetFunction.poisson(2, r),
                id);
    }

    private void deny(long t, String action) throws IOException {
        line(
                t,
                "[ERROR]\t%sZ\t%s\tClientError: An error occurred (AccessDenied) when calling the operation: User: "
                        + "arn:aws:sts::123456789012:assumed-role/%s-role/%s is not authorized to perform: %s on resource: *",
                iso(t),
                uuid(),
                f.name,
                f.name,
                action);
    }

    private void line(long t, String format, Object... args) throws IOException {
        String message = String.format(Locale.ROOT, format, args);
        out.write("{\"logGroup\":\"/aws/lambda/" + f.name + "\",\"logStream\":\"" + stream + "\",\"timestamp\":" + t
                + ",\"message\":" + io.fnwatch.model.Json.string(message + "\n")
                + ",\"account\":\"" + f.account + "\",\"region\":\"us-east-1\"}\n");
        lines++;
    }

    private String uuid() {
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    private String randomUpper(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".charAt(r.nextInt(32)));
        }
        return sb.toString();
    }

    private static String iso(long t) {
        String s = Instant.ofEpochMilli(t).toString();
        return s.endsWith("Z") ? s.substring(0, s.length() - 1) : s;
    }
}
