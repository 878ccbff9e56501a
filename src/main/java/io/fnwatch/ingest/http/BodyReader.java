package io.fnwatch.ingest.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body within two limits: the bytes as sent and the bytes after gzip is opened. Reading stops
 * as soon as a limit is passed, so a gzip bomb costs at most {@code maxDecompressed} bytes of memory and the
 * time to inflate them, whatever it would expand to.
 */
final class BodyReader {

    private static final int CHUNK = 64 * 1024;

    private final int maxBody;
    private final int maxDecompressed;

    BodyReader(int maxBody, int maxDecompressed) {
        this.maxBody = maxBody;
        this.maxDecompressed = maxDecompressed;
    }

    /** The entity after its Content-Encoding (none or gzip) is removed. */
    byte[] read(InputStream in, long contentLength, String contentEncoding) throws IngestProblem, IOException {
        if (contentLength > maxBody) {
            throw IngestProblem.tooLarge("body of " + contentLength + " bytes exceeds the limit of " + maxBody);
        }
        String encoding =
                contentEncoding == null ? "identity" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        InputStream limited = new Limited(in, maxBody);
        try {
            return switch (encoding) {
                case "", "identity" -> readAtMost(limited, maxBody, "body exceeds the limit of " + maxBody + " bytes");
                case "gzip", "x-gzip" -> inflate(limited, maxDecompressed);
                default ->
                    throw new IngestProblem(
                            415,
                            "encoding",
                            "Content-Encoding " + encoding + " is not supported; send identity or gzip");
            };
        } catch (TooLarge e) {
            throw IngestProblem.tooLarge(e.getMessage());
        }
    }

    /** Opens a gzip document found inside a body, within the decompressed limit. */
    byte[] inflate(byte[] gzip) throws IngestProblem {
        try {
            return inflate(new ByteArrayInputStream(gzip), maxDecompressed);
        } catch (TooLarge e) {
            throw IngestProblem.tooLarge(e.getMessage());
        } catch (IOException e) {
            throw IngestProblem.badRequest("gzip payload is corrupt: " + e.getMessage());
        }
    }

    private static byte[] inflate(InputStream in, int limit) throws IngestProblem, IOException {
        try (GZIPInputStream gz = new GZIPInputStream(in, CHUNK)) {
            return readAtMost(
                    gz, limit, "body decompresses to more than " + limit + " bytes (reading stopped at " + limit + ")");
        } catch (ZipException | java.io.EOFException e) {
            throw IngestProblem.badRequest("gzip body is corrupt: " + e.getMessage());
        }
    }

    /** Reads up to {@code limit} bytes; one byte more throws {@link TooLarge} before anything else is read. */
    private static byte[] readAtMost(InputStream in, int limit, String tooLarge) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, CHUNK));
        byte[] chunk = new byte[CHUNK];
        int n;
        while ((n = in.read(chunk, 0, Math.min(CHUNK, limit + 1 - out.size()))) > 0) {
            if (out.size() + n > limit) {
                throw new TooLarge(tooLarge);
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    /** Thrown inside the stream stack when a limit is passed. */
    private static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message, null);
        }
    }

    private static final class Limited extends FilterInputStream {
        private final long limit;
        private long count;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }

        private void count(int n) throws TooLarge {
            if (n > 0 && (count += n) > limit) {
                throw new TooLarge("body exceeds the limit of " + limit + " bytes as sent");
            }
        }
    }
}
