package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Warm-invocation durations against the function's own log-duration baseline, plus timeout surges.
 *
 * <p>Rule: durations are roughly lognormal, so the baseline is the exponentially weighted mean μ and
 * variance σ² (weight α per closed window) of {@code ln(duration)}. A window of {@code n ≥ minSamples} warm
 * invocations with mean log-duration {@code m} is anomalous when both
 * {@code (m − μ)·√n / max(σ, minSigma) ≥ z} and {@code e^(m − μ) ≥ minRatio} (the geometric-mean slowdown);
 * or when its timeouts {@code k ≥ minTimeouts} and {@code k/invocations ≥ max(timeoutRatio·r, 0.1)} with r
 * the baseline timeout rate. Cold starts (Init Duration present) and timed-out invocations are not duration
 * samples. Normal windows update the baseline; anomalous ones do not. No duration alert before
 * {@code warmupSamples} warm samples.
 */
public final class DurationModel {

    public record Settings(long windowMs, double alpha, int warmupSamples, int minSamples, double z,
            double minRatio, double minSigma, int minTimeouts, double timeoutRatio, int confirmWindows,
            int resolveWindows, long cooldownMs) {
    }

    private static final int MAX_EMPTY_STEPS = 10_000;

    private long windowStart = -1;
    private int n;
    private double sumLog;
    private double sumLog2;
    private double maxMs;
    private int invocations;
    private int timeouts;
    private boolean windowAnomalous;
    private String slowestRequest;
    private int memorySizeMb;
    private int maxMemoryUsedMb;
    private double mu;
    private double var;
    private double timeoutRate;
    private int samplesSeen;
    private final Incident incident = new Incident();

    public boolean warmingUp(Settings s) {
        return samplesSeen < s.warmupSamples();
    }

    public void onEvent(FunctionEvent e, Settings s, Emitter out) {
        boolean invocation = e.kind() == EventKind.INVOCATION;
        boolean timeoutLine = e.kind() == EventKind.ERROR && e.isTimeout();
        if (!invocation && !timeoutLine) {
            return;
        }
        long t = e.epochMillis();
        long window = Math.floorDiv(t, s.windowMs()) * s.windowMs();
        if (windowStart < 0) {
            windowStart = window;
        } else if (window > windowStart) {
            roll(window, t, s, out);
        }
        if (timeoutLine || e.isTimeout()) {
            timeouts++;
        } else if (!e.isColdStart() && e.durationMs() != null && e.durationMs() > 0) {
            n++;
            double log = Math.log(e.durationMs());
            sumLog += log;
            sumLog2 += log * log;
            if (e.durationMs() > maxMs) {
                maxMs = e.durationMs();
                slowestRequest = e.requestId();
            }
        }
        if (invocation) {
            invocations++;
            memorySizeMb = e.memorySizeMb() == null ? memorySizeMb : e.memorySizeMb();
            maxMemoryUsedMb = e.maxMemoryUsedMb() == null ? maxMemoryUsedMb : e.maxMemoryUsedMb();
        }
        if (!warmingUp(s) && !windowAnomalous && anomalous(s)) {
            windowAnomalous = true;
            if (incident.anomalous(windowStart, t, ratio(), s.confirmWindows(), s.cooldownMs())) {
                emit(AlertState.OPEN, incident.openedAt(), windowStart + s.windowMs(), t, s, out);
            }
        }
    }

    private boolean anomalous(Settings s) {
        boolean slow = n >= s.minSamples()
                && (sumLog / n - mu) * Math.sqrt(n) / Math.max(Math.sqrt(var), s.minSigma()) >= s.z()
                && ratio() >= s.minRatio();
        boolean timingOut = timeouts >= s.minTimeouts()
                && timeouts >= Math.max(s.timeoutRatio() * timeoutRate, 0.1) * Math.max(invocations, 1);
        return slow || timingOut;
    }

    private double ratio() {
        return n == 0 ? 1 : Math.exp(sumLog / n - mu);
    }

    private void roll(long next, long now, Settings s, Emitter out) {
        if (!windowAnomalous) {
            long resolved = incident.normal(now, s.resolveWindows());
            if (resolved >= 0) {
                emit(AlertState.RESOLVED, resolved, windowStart + s.windowMs(), now, s, out);
            }
            learn(s);
        }
        long empty = Math.min((next - windowStart) / s.windowMs() - 1, MAX_EMPTY_STEPS);
        for (long i = 0; i < empty && incident.isOpen(); i++) {
            long resolved = incident.normal(now, s.resolveWindows());
            if (resolved >= 0) {
                emit(AlertState.RESOLVED, resolved, windowStart + (i + 2) * s.windowMs(), now, s, out);
            }
        }
        windowStart = next;
        n = 0;
        sumLog = 0;
        sumLog2 = 0;
        maxMs = 0;
        invocations = 0;
        timeouts = 0;
        windowAnomalous = false;
        slowestRequest = null;
    }

    private void learn(Settings s) {
        if (invocations > 0) {
            double rate = (double) timeouts / invocations;
            timeoutRate = samplesSeen == 0 ? rate : timeoutRate + s.alpha() * (rate - timeoutRate);
        }
        if (n == 0) {
            return;
        }
        double m = sumLog / n;
        double within = Math.max(0, sumLog2 / n - m * m);
        if (samplesSeen == 0) {
            mu = m;
            var = within;
        } else {
            double d = m - mu;
            mu += s.alpha() * d;
            var = (1 - s.alpha()) * var + s.alpha() * (within + (1 - s.alpha()) * d * d);
        }
        samplesSeen = (int) Math.min(Integer.MAX_VALUE, (long) samplesSeen + n);
    }

    private void emit(AlertState state, long start, long end, long now, Settings s, Emitter out) {
        double expected = Math.exp(mu);
        double observed = n == 0 ? expected : Math.exp(sumLog / n);
        double threshold = expected * s.minRatio();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("windowSeconds", s.windowMs() / 1000);
        ev.put("warmSamplesInWindow", n);
        ev.put("windowGeoMeanMs", Scoring.round(observed));
        ev.put("windowMaxMs", Scoring.round(maxMs));
        ev.put("baselineGeoMeanMs", Scoring.round(expected));
        ev.put("baselineLogStdDev", Scoring.round(Math.sqrt(var)));
        ev.put("bandUpperMs", Scoring.round(expected * Math.exp(s.z() * Math.max(Math.sqrt(var), s.minSigma()))));
        ev.put("timeoutsInWindow", timeouts);
        ev.put("invocationsInWindow", invocations);
        ev.put("baselineTimeoutRate", Scoring.round(timeoutRate));
        ev.put("slowestRequestId", slowestRequest);
        ev.put("memorySizeMb", memorySizeMb);
        ev.put("maxMemoryUsedMb", maxMemoryUsedMb);
        String summary = state == AlertState.OPEN
                ? String.format("%s warm invocations take %.0f ms (geometric mean of %d) against %.0f ms usual "
                        + "(%.1f×), %d timeouts of %d in the window.", out.key().function(), observed, n, expected,
                        observed / expected, timeouts, invocations)
                : String.format("%s durations are back to normal (about %.0f ms).", out.key().function(), expected);
        double score = Scoring.score(Math.max(observed, expected * (1 + timeouts)), threshold);
        out.emit(new Emitter.Draft(AlertType.DURATION_ANOMALY, state, start, start, end, now, score, observed,
                expected, threshold, summary, ev));
    }

    void write(DataOutput o) throws IOException {
        o.writeLong(windowStart);
        o.writeInt(n);
        o.writeDouble(sumLog);
        o.writeDouble(sumLog2);
        o.writeDouble(maxMs);
        o.writeInt(invocations);
        o.writeInt(timeouts);
        o.writeBoolean(windowAnomalous);
        o.writeUTF(slowestRequest == null ? "" : slowestRequest);
        o.writeInt(memorySizeMb);
        o.writeInt(maxMemoryUsedMb);
        o.writeDouble(mu);
        o.writeDouble(var);
        o.writeDouble(timeoutRate);
        o.writeInt(samplesSeen);
        incident.write(o);
    }

    void read(DataInput in) throws IOException {
        windowStart = in.readLong();
        n = in.readInt();
        sumLog = in.readDouble();
        sumLog2 = in.readDouble();
        maxMs = in.readDouble();
        invocations = in.readInt();
        timeouts = in.readInt();
        windowAnomalous = in.readBoolean();
        String slowest = in.readUTF();
        slowestRequest = slowest.isEmpty() ? null : slowest;
        memorySizeMb = in.readInt();
        maxMemoryUsedMb = in.readInt();
        mu = in.readDouble();
        var = in.readDouble();
        timeoutRate = in.readDouble();
        samplesSeen = in.readInt();
        incident.read(in);
    }
}
