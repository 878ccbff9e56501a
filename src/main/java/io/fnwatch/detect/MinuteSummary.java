package io.fnwatch.detect;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One minute of a function as the console draws it: invocations against the traffic detector's expected count
 * and one-bucket threshold, warm durations p50/p95 against the duration baseline's, errors and denials. Read
 * from the detectors' state when the minute closes (no figure of its own is kept per event): the traffic and
 * denial figures are those of the minute itself (the traffic bucket is a minute by default), the durations
 * those of the duration detector's window so far (5 minutes by default, so they trail a step by up to that).
 * Figures a disabled or not yet learned detector cannot give are NaN (or 0 for counts).
 *
 * <p>One minute is 30 to 36 bytes: a version byte, a flags byte (bit 0: traffic warming up, bit 1: durations
 * warming up), three unsigned varints (count, errors, weighted denials) and six floats. The history store keeps
 * them in blocks of {@value #BLOCK_MINUTES} minutes, one entry per function and block ({@link #addToBlock}): a
 * block version byte, then for each minute its offset in the block (a byte) and its bytes as above. Entries of
 * a single minute (the layout before blocks) are still read ({@link #entry}).
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
     * Minutes per history entry. Written once per function and block instead of once per minute: a store write
     * (RocksDB, and a changelog record carrying the function's key) per function and active minute was about a
     * quarter of the stream thread's time on a fleet of functions called every minute or two. Until its block is
     * over, a closed minute waits in the function's state, which so carries at most {@code BLOCK_MINUTES - 1}
     * of them (about 31 bytes each).
     */
    public static final int BLOCK_MINUTES = 5;

    public static final long BLOCK_MS = BLOCK_MINUTES * MINUTE_MS;
    private static final byte BLOCK_VERSION = 2;
    /** The bytes of one minute at most: version, flags, three varints of up to 5 bytes, six floats. */
    private static final int MAX_BYTES = 2 + 3 * 5 + 6 * 4;

    /** The start of the block holding the minute that starts at {@code minuteStart}. */
    public static long blockStart(long minuteStart) {
        return Math.floorDiv(minuteStart, BLOCK_MS) * BLOCK_MS;
    }

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
        ByteBuffer b = ByteBuffer.allocate(MAX_BYTES);
        put(b);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private void put(ByteBuffer b) {
        b.put(VERSION);
        b.put((byte) ((trafficWarmup ? 1 : 0) | (durationWarmup ? 2 : 0)));
        varint(b, count);
        varint(b, errors);
        varint(b, denials);
        b.putFloat(expected).putFloat(threshold);
        b.putFloat(p50Ms).putFloat(p95Ms);
        b.putFloat(baselineP50Ms).putFloat(baselineP95Ms);
    }

    /**
     * The block {@code block} (its bytes as {@link #addToBlock} wrote them, or null for none yet) with this minute
     * added, replacing what the block held for the same minute. The minute must lie in the block starting at
     * {@code blockStart}.
     */
    public byte[] addToBlock(long blockStart, byte[] block) {
        int offset = offsetIn(blockStart, minuteStart);
        if (offset < 0) {
            throw new IllegalArgumentException("minute " + minuteStart + " is not in the block at " + blockStart);
        }
        if (block == null || offset > lastOffset(block)) { // minutes close in order: the usual case appends
            ByteBuffer b = ByteBuffer.allocate((block == null ? 1 : block.length) + 1 + MAX_BYTES);
            if (block == null) {
                b.put(BLOCK_VERSION);
            } else {
                b.put(block);
            }
            b.put((byte) offset);
            put(b);
            return Arrays.copyOf(b.array(), b.position());
        }
        MinuteSummary[] minutes = slots(blockStart, block);
        minutes[offset] = this;
        return block(minutes);
    }

    /** The offset of a block's last minute, without reading the minutes; MAX_VALUE for a block of another version. */
    private static int lastOffset(byte[] block) {
        if (block.length == 0 || block[0] != BLOCK_VERSION) {
            return Integer.MAX_VALUE;
        }
        int last = -1;
        int at = 1;
        while (at < block.length) {
            last = block[at];
            at += 3; // offset, version, flags
            for (int varints = 0; varints < 3 && at < block.length; at++) {
                if ((block[at] & 0x80) == 0) {
                    varints++;
                }
            }
            at += 6 * 4;
        }
        return last;
    }

    /** The minutes of {@code newer} over those of {@code older}, both blocks starting at {@code blockStart}. */
    public static byte[] mergeBlocks(long blockStart, byte[] older, byte[] newer) {
        MinuteSummary[] minutes = slots(blockStart, older);
        MinuteSummary[] over = slots(blockStart, newer);
        for (int i = 0; i < BLOCK_MINUTES; i++) {
            if (over[i] != null) {
                minutes[i] = over[i];
            }
        }
        return block(minutes);
    }

    /**
     * The minutes of a stored history entry starting at {@code start}, oldest first: a block, or a single minute
     * as written before blocks; none for bytes of another version.
     */
    public static List<MinuteSummary> entry(long start, byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == VERSION) {
            return List.of(fromBytes(start, bytes));
        }
        List<MinuteSummary> out = new ArrayList<>(BLOCK_MINUTES);
        if (bytes.length > 0 && bytes[0] == BLOCK_VERSION) {
            for (MinuteSummary m : slots(start, bytes)) {
                if (m != null) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static int offsetIn(long blockStart, long minuteStart) {
        long offset = (minuteStart - blockStart) / MINUTE_MS;
        return minuteStart < blockStart || offset >= BLOCK_MINUTES ? -1 : (int) offset;
    }

    private static MinuteSummary[] slots(long blockStart, byte[] block) {
        MinuteSummary[] minutes = new MinuteSummary[BLOCK_MINUTES];
        try {
            ByteBuffer b = ByteBuffer.wrap(block);
            if (b.get() != BLOCK_VERSION) {
                return minutes; // another version: its minutes are not readable here, and are replaced
            }
            while (b.hasRemaining()) {
                int offset = b.get();
                if (offset < 0 || offset >= BLOCK_MINUTES) {
                    throw new IllegalArgumentException("a history block holds minute " + offset);
                }
                minutes[offset] = read(blockStart + offset * MINUTE_MS, b);
                if (minutes[offset] == null) {
                    throw new IllegalArgumentException("a history block holds a minute of another version");
                }
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("a history block of " + block.length + " bytes is truncated", e);
        }
        return minutes;
    }

    private static byte[] block(MinuteSummary[] minutes) {
        ByteBuffer b = ByteBuffer.allocate(1 + BLOCK_MINUTES * (1 + MAX_BYTES));
        b.put(BLOCK_VERSION);
        for (int i = 0; i < minutes.length; i++) {
            if (minutes[i] != null) {
                b.put((byte) i);
                minutes[i].put(b);
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** The summary stored for the minute starting at {@code minuteStart}; null for bytes of another version. */
    public static MinuteSummary fromBytes(long minuteStart, byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            return read(minuteStart, b);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("a minute summary of " + bytes.length + " bytes is truncated", e);
        }
    }

    /** One minute at the buffer's position; null (the rest unread) for another version. */
    private static MinuteSummary read(long minuteStart, ByteBuffer b) {
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
