package io.fnwatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fnwatch.auth.KeysFile;
import io.fnwatch.auth.KeysStore;
import io.fnwatch.auth.TenantKey;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.service.HttpProbe;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refusals of {@code /functions} over real HTTP, with the keys store HTTP ingest uses. Each is decided
 * before the state store is asked, so no Kafka Streams instance is needed here: a request that got past the
 * keys would fail on the missing instance and never answer 401 or 403.
 */
class FunctionsEndpointKeysTest {

    private static final String ACME = "fnw_acme";
    private static final String ACME_OTHER_ACCOUNT = "fnw_acme-other-account";
    private static final String GLOBEX = "fnw_globex";
    private static final String REVOKED = "fnw_revoked";
    private static final String FUNCTION =
            "/functions/" + URLEncoder.encode("acme/aws/123456789012/-/orders", StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private HttpServer server;

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static TenantKey key(String id, String key, String tenant, List<String> accounts, boolean revoked) {
        return new TenantKey(id, KeysFile.sha256Hex(key), tenant, accounts, revoked);
    }

    private KeysStore serve(Path file) throws Exception {
        KeysStore keys = KeysStore.open(file, Clock.systemUTC());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext(
                FunctionsEndpoint.PATH, new FunctionsEndpoint(null, DetectorConfig.load(null, 0), keys, null));
        server.start();
        return keys;
    }

    private int status(String key) {
        return HttpProbe.get(server.getAddress().getPort(), FUNCTION, key).status();
    }

    @Test
    void shouldRefuseRevokedKeysOtherTenantsAndOtherAccountsWhenReadingAFunction() throws Exception {
        Path file = dir.resolve("keys.yaml");
        KeysFile.write(
                file,
                List.of(
                        key("acme", ACME, "acme", List.of("123456789012"), false),
                        key("acme-other", ACME_OTHER_ACCOUNT, "acme", List.of("210987654321"), false),
                        key("globex", GLOBEX, "globex", List.of(), false),
                        key("old", REVOKED, "acme", List.of(), true)));
        serve(file);

        assertThat(status(REVOKED)).isEqualTo(401);
        assertThat(status("fnw_unknown")).isEqualTo(401);
        assertThat(status(null)).isEqualTo(401);
        assertThat(status(GLOBEX)).isEqualTo(403);
        assertThat(status(ACME_OTHER_ACCOUNT)).isEqualTo(403);
    }

    @Test
    void shouldRefuseEveryKeyWhenTheKeysFileIsDeleted() throws Exception {
        Path file = dir.resolve("keys.yaml");
        KeysFile.write(file, List.of(key("globex", GLOBEX, "globex", List.of(), false)));
        KeysStore keys = serve(file);
        assertThat(status(GLOBEX)).isEqualTo(403);

        Files.delete(file);
        keys.reload();

        assertThat(status(GLOBEX)).isEqualTo(401);
    }
}
