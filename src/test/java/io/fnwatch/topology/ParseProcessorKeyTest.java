package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The raw key is compared with the function's key as bytes, exactly as decoding it and comparing would. */
class ParseProcessorKeyTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "default/aws/123456789012/us-east-1/orders-api",
                "",
                "t/aws/-/-/zäh-fünf",
                "t/gcp/p/r/日本語",
                "t/a/b/c/😀"
            })
    void shouldFindEveryKeyEqualToItsOwnBytes(String key) {
        assertThat(ParseProcessor.sameKey(key, utf8(key))).isTrue();
        assertThat(ParseProcessor.sameKey(key, utf8(key + "x"))).isFalse();
        assertThat(ParseProcessor.sameKey(key + "x", utf8(key))).isFalse();
    }

    @Test
    void shouldTellKeysThatDifferOnlyInOneByteOrInTheirEncoding() {
        assertThat(ParseProcessor.sameKey("default/aws/1/r/orders-api", utf8("default/aws/1/r/orders-apj")))
                .isFalse();
        assertThat(ParseProcessor.sameKey("t/aws/-/-/zäh", "t/aws/-/-/zäh".getBytes(StandardCharsets.ISO_8859_1)))
                .isFalse();
        // same length in bytes as the key has characters, but the key is not ASCII
        assertThat(ParseProcessor.sameKey("ä", new byte[] {(byte) 0xe4})).isFalse();
        assertThat(ParseProcessor.sameKey("ab", new byte[] {(byte) 0xc3, (byte) 0xa4}))
                .isFalse();
        assertThat(ParseProcessor.sameKey("any", null)).isFalse();
    }
}
