package io.fnwatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.ManualTime;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientBucketsTest {

    private final ManualTime time = new ManualTime(5_000_000_000_000L);

    @Test
    void shouldStayBoundedUnderAFloodOfDistinctAddresses() {
        ClientBuckets b = new ClientBuckets(5, 10, 100, time);
        for (int i = 0; i < 200_000; i++) {
            b.take("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
            assertThat(b.size()).isLessThanOrEqualTo(100);
        }
        assertThat(b.size()).isEqualTo(100);
    }

    @Test
    void shouldForgetAddressesWhoseBucketsHaveRefilled() {
        ClientBuckets b = new ClientBuckets(60, 3, 1000, time);
        for (int i = 0; i < 50; i++) {
            b.take("192.0.2." + i);
        }
        assertThat(b.size()).isEqualTo(50);
        time.advance(1_000_000_000L); // a token a second: all full again
        for (int i = 0; i < 50; i++) {
            b.take("198.51.100.1");
        }
        // two forgotten per visit, while the least recently seen are full
        assertThat(b.size()).isEqualTo(1);
    }

    @Test
    void shouldKeepAnEmptyBucketAndTellTheWait() {
        ClientBuckets b = new ClientBuckets(5, 2, 100, time);
        assertThat(b.waitFor("a")).isZero();
        assertThat(b.take("a")).isZero();
        assertThat(b.take("a")).isZero();
        assertThat(b.waitFor("a")).isEqualTo(12);
        assertThat(b.take("a")).isEqualTo(12);
        time.advance(11_000_000_000L);
        assertThat(b.waitFor("a")).isEqualTo(1);
        time.advance(1_000_000_000L);
        assertThat(b.take("a")).isZero();
        assertThat(b.waitFor("b")).isZero();
    }

    @Test
    void shouldLogAnAddressAtMostOnceAMinute() {
        ClientBuckets b = new ClientBuckets(60, 2, 100, time); // full again within 2 s: still logged once a minute
        assertThat(b.logNow("a")).isTrue();
        assertThat(b.logNow("a")).isFalse();
        assertThat(b.logNow("b")).isTrue();
        time.advance(59_000_000_000L);
        b.take("c");
        b.take("d");
        assertThat(b.logNow("a")).isFalse();
        time.advance(1_000_000_000L);
        assertThat(b.logNow("a")).isTrue();
    }

    @Test
    void shouldTakeTheSocketsAddressUnlessForwardedForIsTrusted() {
        InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", 5555);
        OpsLimits plain = OpsLimits.of(FnwatchConfig.of(Map.of()), new SimpleMeterRegistry(), time);
        assertThat(plain.client(proxy, List.of("203.0.113.7"))).isEqualTo("127.0.0.1");
        OpsLimits trusting = OpsLimits.of(
                FnwatchConfig.of(Map.of(OpsSettings.FORWARDED_TRUST, "true")), new SimpleMeterRegistry(), time);
        assertThat(trusting.client(proxy, List.of("198.51.100.1", "10.0.0.1 , 203.0.113.7")))
                .isEqualTo("203.0.113.7");
        assertThat(trusting.client(proxy, List.of("2001:db8:a:b:c:d:e:f"))).isEqualTo("2001:db8:a:b::/64");
        assertThat(trusting.client(proxy, List.of("[::ffff:192.0.2.1]"))).isEqualTo("192.0.2.1");
        assertThat(trusting.client(proxy, List.of("unknown"))).isEqualTo("127.0.0.1");
        assertThat(trusting.client(proxy, List.of(""))).isEqualTo("127.0.0.1");
        assertThat(trusting.client(proxy, List.of("999.1.1.1"))).isEqualTo("127.0.0.1");
        assertThat(trusting.client(null, List.of())).isEqualTo("unknown");
        assertThat(trusting.client(new InetSocketAddress("2001:db8::1", 1), null))
                .isEqualTo("2001:db8:0:0::/64");
    }
}
