package io.fnwatch.parse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/** The gzip magic check and a bounded inflation, shared by every place that opens a record to read it. */
public final class Gzip {

    private Gzip() {}

    public static boolean isGzip(byte[] bytes) {
        return bytes != null && bytes.length > 1 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b;
    }

    /**
     * Inflates at most {@code limit} bytes (a bomb stops there). A stream that is cut or corrupt keeps what it
     * gave before the damage; null when it gave nothing.
     */
    public static byte[] inflateAtMost(byte[] gz, int limit) {
        byte[] buf = new byte[Math.min(limit, Math.max(1024, gz.length * 4))];
        int n = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            while (n < limit) {
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(limit, buf.length * 2L));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            if (n == 0) {
                return null;
            }
        }
        return Arrays.copyOf(buf, n);
    }
}
