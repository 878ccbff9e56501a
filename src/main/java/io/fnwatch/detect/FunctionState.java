package io.fnwatch.detect;

import io.fnwatch.model.Alert;
import io.fnwatch.model.FunctionEvent;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Everything the detectors remember about one function, kept together so that each event costs one state
 * read and one write. Events older than the function's watermark minus the grace are LATE: they are
 * handed back to the caller (for the dead-letter topic) instead of being fed to the models. State written
 * in another format (by another fnwatch version) is discarded and relearned, never misread.
 */
public final class FunctionState {

    private static final byte FORMAT = 4;

    private long watermark = Long.MIN_VALUE;
    private final TrafficSpikeModel traffic = new TrafficSpikeModel();
    private final DurationModel duration = new DurationModel();
    private final DenialBurstModel denials = new DenialBurstModel();
    private final StaleFunctionModel stale = new StaleFunctionModel();
    private final SecretLeakModel secrets = new SecretLeakModel();

    public StaleFunctionModel stale() {
        return stale;
    }

    public TrafficSpikeModel traffic() {
        return traffic;
    }

    public DurationModel duration() {
        return duration;
    }

    public DenialBurstModel denials() {
        return denials;
    }

    /** The detectors that are still learning this function's baseline (visible as WARMUP). */
    public java.util.List<String> warmingUp(DetectorSettings s) {
        java.util.List<String> out = new java.util.ArrayList<>(3);
        if (s.traffic() != null && traffic.warmingUp(s.traffic())) {
            out.add("TRAFFIC_SPIKE");
        }
        if (s.duration() != null && duration.warmingUp(s.duration())) {
            out.add("DURATION_ANOMALY");
        }
        if (s.denials() != null && denials.warmingUp(s.denials())) {
            out.add("PERMISSION_DENIED_BURST");
        }
        return out;
    }

    public long watermark() {
        return watermark;
    }

    /**
     * Feeds one event to every enabled detector.
     *
     * @return false when the event is late and was not applied
     */
    public boolean apply(FunctionEvent e, DetectorSettings s, Emitter out) {
        long t = e.epochMillis();
        if (watermark != Long.MIN_VALUE && t < watermark - s.lateGraceMs()) {
            return false;
        }
        watermark = Math.max(watermark, t);
        if (s.traffic() != null) {
            traffic.onEvent(e, s.traffic(), out);
        }
        if (s.duration() != null) {
            duration.onEvent(e, s.duration(), out);
        }
        if (s.denials() != null) {
            denials.onEvent(e, s.denials(), out);
        }
        if (s.stale() != null) {
            stale.onEvent(e, s.stale(), out);
        }
        if (s.secrets() != null) {
            secrets.onEvent(e, s.secrets(), out);
        }
        return true;
    }

    /** Serialized bytes of each detector's part of the state (for {@code bench state}). */
    public java.util.Map<String, Integer> sizes() {
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        out.put("TRAFFIC_SPIKE", size(traffic::write));
        out.put("DURATION_ANOMALY", size(duration::write));
        out.put("PERMISSION_DENIED_BURST", size(denials::write));
        out.put("STALE_AND_OUTDATED", size(stale::write));
        out.put("SECRET_IN_LOGS", size(secrets::write));
        out.put("total", toBytes().length);
        return out;
    }

    private interface Part {
        void write(DataOutputStream o) throws IOException;
    }

    private static int size(Part part) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream o = new DataOutputStream(bytes)) {
            part.write(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.size();
    }

    public byte[] toBytes() {
        Buffer bytes = new Buffer();
        try (DataOutputStream o = new DataOutputStream(bytes)) {
            o.writeByte(FORMAT);
            o.writeLong(watermark);
            traffic.write(o);
            duration.write(o);
            denials.write(o);
            stale.write(o);
            secrets.write(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static FunctionState fromBytes(byte[] data) {
        FunctionState s = new FunctionState();
        try (DataInputStream in = new DataInputStream(new Input(data))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                // state written by another version: relearning beats dead-lettering every event of the function
                return s;
            }
            s.watermark = in.readLong();
            s.traffic.read(in);
            s.duration.read(in);
            s.denials.read(in);
            s.stale.read(in);
            s.secrets.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    /**
     * ByteArrayOutputStream without its lock: DataOutputStream calls it once per field, and an uncontended
     * lock per call was most of the cost of serialising the state.
     */
    private static final class Buffer extends OutputStream {
        private byte[] buf = new byte[1024];
        private int size;

        @Override
        public void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, size * 2);
            }
            buf[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (size + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(size * 2, size + len));
            }
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** ByteArrayInputStream without its lock, for the same reason. */
    private static final class Input extends InputStream {
        private final byte[] data;
        private int pos;

        Input(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(len, data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** Convenience for tests and offline runs: applies events in order and collects the alerts. */
    public static void replay(List<FunctionEvent> events, DetectorSettings s, FunctionState state,
            List<Alert> alerts) {
        for (FunctionEvent e : events) {
            state.apply(e, s, new Emitter(e.key(), alerts));
        }
    }
}
