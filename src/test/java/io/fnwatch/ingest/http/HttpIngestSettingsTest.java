package io.fnwatch.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.HttpIngestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding 10 of issue 13: HTTP ingest is for this host unless TLS is on or plain HTTP is asked for. */
class HttpIngestSettingsTest {

    @TempDir
    Path dir;

    private HttpIngestSettings settings(String... pairs) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.yaml"), "[]\n");
        Map<String, String> s =
                new HashMap<>(Map.of(HttpIngestConfig.PORT, "8443", HttpIngestConfig.KEYS_FILE, keys.toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            s.put(pairs[i], pairs[i + 1]);
        }
        return HttpIngestSettings.from(FnwatchConfig.of(s));
    }

    @Test
    void shouldBindLoopbackWhenNoHostIsGiven() throws Exception {
        HttpIngestSettings s = settings();

        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.plainHttpExposed()).isFalse();
    }

    @Test
    void shouldRefusePlainHttpOnAnAddressOtherHostsReach() {
        assertThatThrownBy(() -> settings(HttpIngestConfig.HOST, "0.0.0.0"))
                .isInstanceOfSatisfying(
                        ConfigErrors.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .asString()
                                .startsWith("ingest.http.host: 0.0.0.0 is reachable from other hosts")
                                .contains("ingest.http.tls.cert.pem")
                                .contains("ingest.http.insecure=true (run --insecure-http)"));
    }

    @Test
    void shouldAllowPlainHttpOnAnyAddressWhenToldSo() throws Exception {
        HttpIngestSettings s = settings(HttpIngestConfig.HOST, "0.0.0.0", HttpIngestConfig.INSECURE, "true");

        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.plainHttpExposed()).isTrue();
    }

    @Test
    void shouldAcceptAnyLoopbackAddressWithoutTls() throws Exception {
        assertThat(settings(HttpIngestConfig.HOST, "localhost").plainHttpExposed())
                .isFalse();
        assertThat(settings(HttpIngestConfig.HOST, "127.0.0.2").plainHttpExposed())
                .isFalse();
        assertThat(settings(HttpIngestConfig.HOST, "::1").plainHttpExposed()).isFalse();
    }

    @Test
    void shouldRefuseAPerKeyLimitThatLetsOneKeyHoldEveryThread() {
        assertThatThrownBy(() -> settings(HttpIngestConfig.THREADS, "8", HttpIngestConfig.MAX_CONCURRENT_PER_KEY, "5"))
                .isInstanceOfSatisfying(
                        ConfigErrors.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "ingest.http.max.concurrent.per.key: at most half of ingest.http.threads (8), so that one "
                                                + "key cannot hold every thread"));
    }

    @Test
    void shouldNotCheckTheHostWhenTheEndpointIsOff() throws Exception {
        HttpIngestSettings s = settings(HttpIngestConfig.PORT, "-1", HttpIngestConfig.HOST, "0.0.0.0");

        assertThat(s.enabled()).isFalse();
    }
}
