package io.fnwatch.serde;

import io.fnwatch.model.ConcurrencySlice;
import io.fnwatch.model.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The {@code concurrency-by-account} topic's values: a function's busy time per sub-slice, one record per function
 * and minute. Binary, because as JSON each record was about sixty doubles printed and parsed again (most of the
 * concurrency path's cost): a version byte, the five names (length-prefixed UTF-8), the slice's start, length and
 * sub-slice length, the busy times as raw doubles (exact, so the account's sums do not depend on the format) and
 * {@code closedAt}. Records written as JSON before (first byte {@code '{'}) are still read.
 */
public final class SliceSerde {

    private static final byte VERSION = 1;
    /** Far above a real slice (a minute of 1-second sub-slices is 60); bounds what a corrupt record allocates. */
    private static final int MAX_SUBS = 100_000;

    private SliceSerde() {}

    public static Serde<ConcurrencySlice> serde() {
        Serializer<ConcurrencySlice> ser = (topic, s) -> s == null ? null : bytes(s);
        Deserializer<ConcurrencySlice> de = (topic, b) -> b == null ? null : read(b);
        return Serdes.serdeFrom(ser, de);
    }

    static byte[] bytes(ConcurrencySlice s) {
        byte[][] names = {utf8(s.tenant()), utf8(s.provider()), utf8(s.account()), utf8(s.region()), utf8(s.function())
        };
        int size = 1 + 3 * 8 + 4 + 8 * s.busyMs().length + 8;
        for (byte[] n : names) {
            size += 4 + (n == null ? 0 : n.length);
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(VERSION);
        for (byte[] n : names) {
            b.putInt(n == null ? -1 : n.length);
            if (n != null) {
                b.put(n);
            }
        }
        b.putLong(s.sliceStart()).putLong(s.sliceMs()).putLong(s.subMs()).putInt(s.busyMs().length);
        for (double d : s.busyMs()) {
            b.putDouble(d);
        }
        return b.putLong(s.closedAt()).array();
    }

    static ConcurrencySlice read(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == '{') {
            return Json.read(bytes, ConcurrencySlice.class);
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.get() != VERSION) {
                throw new SerializationException("unknown concurrency slice format " + bytes[0]);
            }
            String[] names = new String[5];
            for (int i = 0; i < names.length; i++) {
                int n = b.getInt();
                if (n >= 0) {
                    if (n > b.remaining()) {
                        throw new SerializationException("concurrency slice name longer than the record");
                    }
                    names[i] = new String(bytes, b.position(), n, StandardCharsets.UTF_8);
                    b.position(b.position() + n);
                }
            }
            long sliceStart = b.getLong();
            long sliceMs = b.getLong();
            long subMs = b.getLong();
            int subs = b.getInt();
            if (subs < 0 || subs > MAX_SUBS || subs > b.remaining() / 8) {
                throw new SerializationException("concurrency slice with " + subs + " sub-slices");
            }
            double[] busy = new double[subs];
            for (int i = 0; i < subs; i++) {
                busy[i] = b.getDouble();
            }
            return new ConcurrencySlice(
                    names[0], names[1], names[2], names[3], names[4], sliceStart, sliceMs, subMs, busy, b.getLong());
        } catch (java.nio.BufferUnderflowException e) {
            throw new SerializationException("truncated concurrency slice", e);
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
