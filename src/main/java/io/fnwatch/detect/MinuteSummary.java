package io.fnwatch.detect;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * One minute of a function as the console draws it: invocations against the traffic detector's expected count
 * and one-bucket threshold, warm durations p50/p95 against the duration baseline's, errors and denials. Read
 * from the detectors' state when the minute closes (no figure of its own is kept per event): the traffic and
 * denial figures are those of the minute itself (the traffic bucket is a minute by default), the durations
 * those of the duration detector's window so far (5 minutes by default, so they trail a step by up to that).
 * Figures a disabled or not yet learned detector cannot give are NaN (or 0 for counts).
 *
 * <p>Stored as 30 to 36 bytes: a version byte, a flags byte (bit 0: traffic warming up, bit 1: durations
 * warming up), three unsigned varints (count, errors, weighted denials) and six floats.
 */
public record MinuteSummary(
        long minuteStart,
        int count,
        int errors,
        int denials,
        float expected,
        float threshold,
        float p50Ms,
        float p95Ms,
        float baselineP50Ms,
        float baselineP95Ms,
        boolean trafficWarmup,
        boolean durationWarmup) {

    public static final long MINUTE_MS = 60_000L;
    private static final byte VERSION = 1;

    /**
     * The minute {@code state} is in: that of its newest event, or of the traffic detector's bucket when stream
     * time already moved that on (the detectors' ticks roll buckets while an incident is open). MIN_VALUE: none.
     */
    public static long openMinute(FunctionState state, DetectorSettings s) {
        long newest = state.watermark();
        if (newest == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        long open = Math.floorDiv(newest, MINUTE_MS) * MINUTE_MS;
        TrafficSpikeModel traffic = state.model(TrafficSpikeModel.SPEC);
        if (traffic != null && s.of(TrafficSpikeModel.SPEC) != null) {
            open = Math.max(open, Math.floorDiv(traffic.bucketStart(), MINUTE_MS) * MINUTE_MS);
        }
        return open;
    }

    /** The figures of the minute starting at {@code minuteStart}, read from {@code state} before it moves on. */
    public static MinuteSummary of(FunctionState state, DetectorSettings s, long minuteStart) {
        int count = 0;
        int errors = 0;
        float expected = Float.NaN;
        float threshold = Float.NaN;
        boolean trafficWarmup = false;
        TrafficSpikeModel traffic = state.model(TrafficSpikeModel.SPEC);
        TrafficSpikeModel.Settings ts = s.of(TrafficSpikeModel.SPEC);
        if (traffic != null && ts != null) {
            long bucket = traffic.bucketStart();
            if (bucket >= 0 && bucket <= minuteStart && minuteStart < bucket + ts.bucketMs()) {
                count = traffic.bucketCount();
                errors = traffic.bucketErrors();
            }
            expected = (float) traffic.expected(minuteStart, ts);
            threshold = (float) traffic.threshold(minuteStart, ts);
            trafficWarmup = traffic.warmingUp(ts);
        }
        float p50 = Float.NaN;
        float p95 = Float.NaN;
        float b50 = Float.NaN;
        float b95 = Float.NaN;
        boolean durationWarmup = false;
        DurationModel duration = state.model(DurationModel.SPEC);
        DurationModel.Settings ds = s.of(DurationModel.SPEC);
        if (duration != null && ds != null) {
            long window = duration.windowStart();
            if (window >= 0 && window <= minuteStart && minuteStart < window + ds.windowMs()) {
                p50 = (float) duration.windowQuantile(0.5);
                p95 = (float) duration.windowQuantile(0.95);
            }
            b50 = (float) duration.baselineQuantile(0.5);
            b95 = (float) duration.baselineQuantile(0.95);
            durationWarmup = duration.warmingUp(ds);
        }
        int denials = 0;
        DenialBurstModel denial = state.model(DenialBurstModel.SPEC);
        DenialBurstModel.Settings ns = s.of(DenialBurstModel.SPEC);
        if (denial != null && ns != null) {
            denials = denial.denialsIn(minuteStart, ns);
        }
        return new MinuteSummary(
                minuteStart,
                count,
                errors,
                denials,
                expected,
                threshold,
                p50,
                p95,
                b50,
                b95,
                trafficWarmup,
                durationWarmup);
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(2 + 3 * 5 + 6 * 4);
        b.put(VERSION);
        b.put((byte) ((trafficWarmup ? 1 : 0) | (durationWarmup ? 2 : 0)));
        varint(b, count);
        varint(b, errors);
        varint(b, denials);
        b.putFloat(expected).putFloat(threshold);
        b.putFloat(p50Ms).putFloat(p95Ms);
        b.putFloat(baselineP50Ms).putFloat(baselineP95Ms);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** The summary stored for the minute starting at {@code minuteStart}; null for bytes of another version. */
    public static MinuteSummary fromBytes(long minuteStart, byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.get() != VERSION) {
                return null;
            }
            int flags = b.get();
            return new MinuteSummary(
                    minuteStart,
                    varint(b),
                    varint(b),
                    varint(b),
                    b.getFloat(),
                    b.getFloat(),
                    b.getFloat(),
                    b.getFloat(),
                    b.getFloat(),
                    b.getFloat(),
                    (flags & 1) != 0,
                    (flags & 2) != 0);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("a minute summary of " + bytes.length + " bytes is truncated", e);
        }
    }

    private static void varint(ByteBuffer b, int v) {
        int u = Math.max(0, v);
        while ((u & ~0x7f) != 0) {
            b.put((byte) ((u & 0x7f) | 0x80));
            u >>>= 7;
        }
        b.put((byte) u);
    }

    private static int varint(ByteBuffer b) {
        int v = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int x = b.get();
            v |= (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("a varint of a minute summary is longer than 5 bytes");
    }
}
