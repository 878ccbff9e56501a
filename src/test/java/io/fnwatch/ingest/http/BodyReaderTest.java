package io.fnwatch.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyReaderTest {

    private static final int LIMIT = 1 << 20;

    /** Counts the bytes a reader actually took from the body as sent. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }
    }

    static byte[] gzipOfZeros(long bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (long left = bytes; left > 0; left -= zeros.length) {
                gz.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        }
        return out.toByteArray();
    }

    @Test
    void shouldStopReadingAtTheDecompressedLimitWhenGzipExpandsBeyondIt() throws IOException {
        byte[] bomb = gzipOfZeros(256L << 20);
        Counting body = new Counting(new ByteArrayInputStream(bomb));

        assertThatThrownBy(() -> new BodyReader(LIMIT, LIMIT).read(body, bomb.length, "gzip"))
                .isInstanceOfSatisfying(IngestProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(413);
                    assertThat(p.getMessage()).contains("decompresses to more than " + LIMIT);
                });
        // 1 MiB of zeros is about 1 KiB of gzip: reading stopped within one 64 KiB buffer of the ~256 KiB body
        assertThat(body.count).isLessThan(bomb.length / 2);
    }

    @Test
    void shouldRejectBeforeReadingWhenContentLengthExceedsTheLimit() {
        Counting body = new Counting(new ByteArrayInputStream(new byte[10]));

        assertThatThrownBy(() -> new BodyReader(1024, LIMIT).read(body, 4096, null))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(413));
        assertThat(body.count).isZero();
    }

    @Test
    void shouldRejectWhenAChunkedBodyPassesTheLimitAsSent() {
        byte[] big = new byte[4096];

        assertThatThrownBy(() -> new BodyReader(1024, LIMIT).read(new ByteArrayInputStream(big), -1, "identity"))
                .isInstanceOfSatisfying(IngestProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(413);
                    assertThat(p.getMessage()).contains("1024");
                });
    }

    @Test
    void shouldReturnTheEntityWhenGzipFitsTheLimit() throws Exception {
        byte[] text = "{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(text);
        }

        byte[] read = new BodyReader(LIMIT, LIMIT).read(new ByteArrayInputStream(gz.toByteArray()), -1, "GZIP");

        assertThat(read).isEqualTo(text);
    }

    @Test
    void shouldAnswer415WhenTheEncodingIsUnknown() {
        assertThatThrownBy(() -> new BodyReader(LIMIT, LIMIT).read(new ByteArrayInputStream(new byte[1]), 1, "br"))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(415));
    }
}
