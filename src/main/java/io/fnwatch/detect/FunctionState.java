package io.fnwatch.detect;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionEvent;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the registered detectors remember about one function, kept together so that each event costs
 * one state read and one write. Events older than the function's watermark minus the grace are LATE: they are
 * handed back to the caller (for the dead-letter topic) instead of being fed to the models. Events within the
 * grace are fed to the models in arrival order; each model places them in time itself (the traffic detector
 * counts them in their own minute's bucket).
 *
 * <p>Stored format 5: the format byte, the watermark, then one section per detector: its state id (a byte),
 * its codec version (a byte), the section's length (an unsigned short) and the bytes its {@link Detector#write}
 * wrote. On reading, a section of an unregistered detector is skipped (it was removed, or the state comes from
 * a newer build), a registered detector without a section starts fresh (it was added), and a section whose
 * version is not the detector's current one is skipped so that this detector alone relearns the function,
 * unless the detector still reads that older version ({@link Detector#reads}). Section 0, when present, holds
 * the console history's minutes not yet in its store (a long, where their block starts, then the block).
 * Format 4, the positional layout before it, is still read. State in any other format is discarded and
 * relearned, never misread; bytes that do not parse in a known format throw (the caller dead-letters).
 */
public final class FunctionState {

    private static final byte FORMAT = 5;
    /** The section of the console history's unwritten minutes: an id no detector may take (they use 1..255). */
    private static final int HISTORY_SECTION = 0;

    private static final int HISTORY_VERSION = 1;
    private static final byte FORMAT_4 = 4;
    /** Format 4 held, in this order and without lengths, the parts of these state ids at codec version 1. */
    private static final int[] FORMAT_4_IDS = {1, 2, 3, 4, 5};

    private final Detectors registry;
    private final Detector<?>[] models;
    private long watermark = Long.MIN_VALUE;
    /**
     * The console history's block of minutes not yet in the history store ({@link MinuteSummary#addToBlock}), or
     * null, and where that block starts: kept with the state so that a crash loses none of them.
     */
    private byte[] historyBlock;

    private long historyBlockStart = Long.MIN_VALUE;
    /** Where the topology's deadline index last filed this function; not stored (MIN_VALUE: unknown). */
    private long filedDeadline = Long.MIN_VALUE;
    /**
     * The start of the newest history block this state object wrote to the history store; not stored (MAX_VALUE:
     * unknown, as for a state read from the store, whose function may have blocks there already).
     */
    private long historyWritten = Long.MAX_VALUE;

    /** Fresh state for the production detectors ({@link Detectors#ALL}). */
    public FunctionState() {
        this(Detectors.ALL);
    }

    public FunctionState(Detectors registry) {
        this.registry = registry;
        this.models = new Detector<?>[registry.size()];
        for (int i = 0; i < models.length; i++) {
            models[i] = fresh(i);
        }
    }

    private Detector<?> fresh(int i) {
        return registry.get(i).model().get();
    }

    /** The per-function model of {@code spec}, or null when it is not registered. */
    @SuppressWarnings("unchecked")
    public <M extends Detector<?>> M model(DetectorSpec<?, M> spec) {
        int i = registry.indexOf(spec);
        return i < 0 ? null : (M) models[i];
    }

    Detectors registry() {
        return registry;
    }

    Detector<?> model(int i) {
        return models[i];
    }

    /** The alert types of the enabled detectors still learning this function's baseline (visible as WARMUP). */
    public List<AlertType> warmingUp(DetectorSettings s) {
        checkRegistry(s);
        List<AlertType> out = new ArrayList<>(3);
        for (int i = 0; i < models.length; i++) {
            if (s.at(i) != null && warmingUp(models[i], s.at(i))) {
                out.addAll(registry.get(i).types());
            }
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean warmingUp(Detector model, Object settings) {
        return model.warmingUp(settings);
    }

    /** The deadline slot the topology's index holds for this state object, or MIN_VALUE when unknown. */
    public long filedDeadline() {
        return filedDeadline;
    }

    public void filedDeadline(long slot) {
        filedDeadline = slot;
    }

    public long watermark() {
        return watermark;
    }

    /** The newest history block this object wrote ({@link #historyWritten(long)}), or MAX_VALUE when unknown. */
    public long historyWritten() {
        return historyWritten;
    }

    public void historyWritten(long blockStart) {
        historyWritten = blockStart;
    }

    /** The console history's minutes not yet written to its store (see {@link MinuteSummary}), or null. */
    public byte[] historyBlock() {
        return historyBlock;
    }

    /** Where {@link #historyBlock} starts; MIN_VALUE when there is none. */
    public long historyBlockStart() {
        return historyBlockStart;
    }

    /** Keeps {@code block} (null: none) as the history's unwritten minutes, starting at {@code start}. */
    public void historyBlock(long start, byte[] block) {
        historyBlock = block;
        historyBlockStart = block == null ? Long.MIN_VALUE : start;
    }

    /**
     * Feeds one event to every enabled detector that reads its kind.
     *
     * @return false when the event is late and was not applied
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public boolean apply(FunctionEvent e, DetectorSettings s, Emitter out) {
        checkRegistry(s);
        long t = e.epochMillis();
        if (late(t, s)) {
            return false;
        }
        watermark = Math.max(watermark, t);
        int kind = Detectors.eventBit(e.kind());
        for (int i = 0; i < models.length; i++) {
            Object settings = s.at(i);
            if (settings != null && registry.reads(i, kind)) {
                ((Detector) models[i]).onEvent(e, settings, out);
            }
        }
        return true;
    }

    /** Whether an event at {@code t} is older than this function's newest minus the grace ({@link #apply} refuses it). */
    public boolean late(long t, DetectorSettings s) {
        return watermark != Long.MIN_VALUE && t < watermark - s.lateGraceMs();
    }

    /**
     * Moves every enabled detector whose {@link Detector#deadline} has come to stream time {@code now} (see
     * {@link Detector#advance}); the others are not called.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void advance(long now, DetectorSettings s, Emitter out) {
        checkRegistry(s);
        for (int i = 0; i < models.length; i++) {
            Object settings = s.at(i);
            if (settings != null && ((Detector) models[i]).deadline(settings) <= now) {
                ((Detector) models[i]).advance(now, settings, out);
            }
        }
    }

    /** The earliest {@link Detector#deadline} of the enabled detectors, or Long.MAX_VALUE when none is pending. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public long deadline(DetectorSettings s) {
        checkRegistry(s);
        long d = Long.MAX_VALUE;
        for (int i = 0; i < models.length; i++) {
            Object settings = s.at(i);
            if (settings != null) {
                d = Math.min(d, ((Detector) models[i]).deadline(settings));
            }
        }
        return d;
    }

    private void checkRegistry(DetectorSettings s) {
        if (s.registry() != registry) {
            throw new IllegalArgumentException("settings for " + s.registry() + " applied to state of " + registry);
        }
    }

    /** Serialized bytes of each detector's part of the state, by YAML name, and the total (for bench state). */
    public Map<String, Integer> sizes() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < models.length; i++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            try (DataOutputStream o = new DataOutputStream(bytes)) {
                models[i].write(o);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.put(registry.get(i).file(), bytes.size());
        }
        out.put("console-history", historyBlock == null ? 0 : 4 + 8 + historyBlock.length);
        out.put("total", toBytes().length);
        return out;
    }

    public byte[] toBytes() {
        Buffer bytes = new Buffer();
        try (DataOutputStream o = new DataOutputStream(bytes)) {
            o.writeByte(FORMAT);
            o.writeLong(watermark);
            for (int i = 0; i < models.length; i++) {
                DetectorSpec<?, ?> spec = registry.get(i);
                o.writeByte(spec.stateId());
                o.writeByte(spec.stateVersion());
                int lengthAt = bytes.size();
                o.writeShort(0);
                models[i].write(o);
                bytes.patchLength(lengthAt, spec.file());
            }
            if (historyBlock != null) {
                o.writeByte(HISTORY_SECTION);
                o.writeByte(HISTORY_VERSION);
                o.writeShort(8 + historyBlock.length);
                o.writeLong(historyBlockStart);
                o.write(historyBlock);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** State of the production detectors ({@link Detectors#ALL}) from stored bytes. */
    public static FunctionState fromBytes(byte[] data) {
        return fromBytes(data, Detectors.ALL);
    }

    public static FunctionState fromBytes(byte[] data, Detectors registry) {
        FunctionState s = new FunctionState(registry);
        Input input = new Input(data);
        try (DataInputStream in = new DataInputStream(input)) {
            byte format = in.readByte();
            if (format == FORMAT) {
                s.watermark = in.readLong();
                s.readSections(input, in);
            } else if (format == FORMAT_4) {
                s.watermark = in.readLong();
                s.readFormat4(in);
            }
            // any other format: written by another version; relearning beats dead-lettering every event
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    private void readSections(Input input, DataInputStream in) throws IOException {
        boolean[] seen = new boolean[models.length];
        while (input.remaining() > 0) {
            int id = in.readUnsignedByte();
            int version = in.readUnsignedByte();
            int length = in.readUnsignedShort();
            if (length > input.remaining()) {
                throw new EOFException(
                        "state section " + id + " claims " + length + " bytes, " + input.remaining() + " are left");
            }
            if (id == HISTORY_SECTION) {
                if (version != HISTORY_VERSION || length < 8) {
                    input.skipExactly(length); // a layout this build cannot read: those minutes are not drawn
                    continue;
                }
                historyBlockStart = in.readLong();
                historyBlock = new byte[length - 8];
                in.readFully(historyBlock);
                continue;
            }
            int i = registry.indexOfStateId(id);
            if (i >= 0 && seen[i]) {
                throw new IOException("state section " + id + " appears twice");
            }
            boolean current = i >= 0 && version == registry.get(i).stateVersion();
            if (!current && (i < 0 || !models[i].reads(version))) {
                input.skipExactly(length); // removed detector, newer build, or a layout this build cannot read
                continue;
            }
            seen[i] = true;
            input.limitTo(length);
            if (current) {
                models[i].read(in);
            } else {
                models[i].read(in, version); // an older layout the detector still reads
            }
            if (input.remaining() != 0) {
                throw new IOException(
                        "state section " + id + " (" + registry.get(i).file() + ") left " + input.remaining()
                                + " of its " + length + " bytes unread");
            }
            input.unlimit();
        }
    }

    /**
     * Format 4 had no lengths: each part is read in the old order, while the detector holding it is registered
     * and still at codec version 1. After the first that is not, the rest cannot be found and starts fresh.
     */
    private void readFormat4(DataInputStream in) throws IOException {
        for (int id : FORMAT_4_IDS) {
            int i = registry.indexOfStateId(id);
            if (i < 0) {
                return;
            }
            if (registry.get(i).stateVersion() == 1) {
                models[i].read(in);
            } else if (models[i].reads(1)) {
                models[i].read(in, 1);
            } else {
                return;
            }
        }
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

        int size() {
            return size;
        }

        /** Writes the length of the section that started after the two bytes at {@code at} into them. */
        void patchLength(int at, String detector) {
            int length = size - at - 2;
            if (length > 0xffff) {
                throw new IllegalStateException(detector + " wrote " + length + " bytes of state, more than 65535");
            }
            buf[at] = (byte) (length >>> 8);
            buf[at + 1] = (byte) length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /**
     * ByteArrayInputStream without its lock, for the same reason; it can be limited to one section so that a
     * detector reading past its own bytes fails instead of reading the next detector's.
     */
    private static final class Input extends InputStream {
        private final byte[] data;
        private int pos;
        private int end;

        Input(byte[] data) {
            this.data = data;
            this.end = data.length;
        }

        int remaining() {
            return end - pos;
        }

        void limitTo(int length) {
            end = pos + length;
        }

        void unlimit() {
            end = data.length;
        }

        void skipExactly(int n) {
            pos += n;
        }

        @Override
        public int read() {
            return pos < end ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= end) {
                return -1;
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** Convenience for tests and offline runs: applies events in order and collects the alerts. */
    public static void replay(List<FunctionEvent> events, DetectorSettings s, FunctionState state, List<Alert> alerts) {
        for (FunctionEvent e : events) {
            state.apply(e, s, new Emitter(e.key(), alerts));
        }
    }
}
