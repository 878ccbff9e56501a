package io.fnwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.parse.SourceHints;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The region header of a raw record: any Kafka client can write one, so only a region's shape is read. */
class SourceHeadersTest {

    private static SourceHints read(byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SourceHints.REGION_HEADER, value);
        return SourceHeaders.hints(headers);
    }

    private static SourceHints read(String value) {
        return read(value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadBackTheRegionItWrote() {
        RecordHeaders headers = new RecordHeaders(SourceHeaders.of(SourceHints.ofRegion("us-gov-west-1")));

        assertThat(SourceHeaders.hints(headers).region()).isEqualTo("us-gov-west-1");
    }

    @Test
    void shouldWriteNoHeaderForNoHint() {
        assertThat(SourceHeaders.of(SourceHints.NONE)).isEmpty();
        assertThat(SourceHeaders.of(null)).isEmpty();
    }

    @Test
    void shouldIgnoreHostileHeadersWithoutThrowing() {
        assertThat(read(new byte[0])).isEqualTo(SourceHints.NONE);
        assertThat(read((byte[]) null)).isEqualTo(SourceHints.NONE);
        assertThat(read("eu-west-2".repeat(1200))).isEqualTo(SourceHints.NONE); // ~10 KB
        assertThat(read("../")).isEqualTo(SourceHints.NONE);
        assertThat(read("../eu-west-2")).isEqualTo(SourceHints.NONE);
        assertThat(read("eu-west-2/../x")).isEqualTo(SourceHints.NONE);
        assertThat(read("not a region")).isEqualTo(SourceHints.NONE);
        assertThat(read("eu-west-2\n")).isEqualTo(SourceHints.NONE);
        assertThat(read(new byte[] {(byte) 0xff, (byte) 0xfe, 'e', 'u'})).isEqualTo(SourceHints.NONE);
        assertThat(SourceHeaders.hints(new RecordHeaders())).isEqualTo(SourceHints.NONE);
        assertThat(SourceHeaders.hints(null)).isEqualTo(SourceHints.NONE);
    }

    @Test
    void shouldTakeTheLastOfRepeatedHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SourceHints.REGION_HEADER, "eu-west-1".getBytes(StandardCharsets.UTF_8));
        headers.add(SourceHints.REGION_HEADER, "eu-west-2".getBytes(StandardCharsets.UTF_8));

        assertThat(SourceHeaders.hints(headers).region()).isEqualTo("eu-west-2");
    }
}
