package io.fnwatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysFileAuthorizerTest {

    @TempDir
    Path dir;

    private Path keys(String json) throws Exception {
        return Files.writeString(dir.resolve("keys.json"), json);
    }

    @Test
    void shouldNameTheTenantOfAKnownKeyAndNoneForAnUnknownOne() throws Exception {
        Path file = keys("[{\"sha256\":\"" + KeysFileAuthorizer.sha256Hex("acme-key") + "\",\"tenant\":\"acme\"},"
                + "{\"sha256\":\"" + KeysFileAuthorizer.sha256Hex("globex-key") + "\",\"tenant\":\"globex\"}]");
        KeysFileAuthorizer auth = new KeysFileAuthorizer(file);

        assertThat(auth.tenantOf("acme-key")).contains("acme");
        assertThat(auth.tenantOf("globex-key")).contains("globex");
        assertThat(auth.tenantOf("acme-key ")).isEmpty();
        assertThat(auth.tenantOf("")).isEmpty();
        assertThat(auth.tenantOf(null)).isEmpty();
        assertThat(Files.readString(file)).doesNotContain("acme-key");
    }

    @Test
    void shouldPickUpRotatedKeysWhenTheFileChanges() throws Exception {
        Path file = keys("{\"keys\":[{\"sha256\":\"" + KeysFileAuthorizer.sha256Hex("old") + "\",\"tenant\":\"a\"}]}");
        KeysFileAuthorizer auth = new KeysFileAuthorizer(file);
        assertThat(auth.tenantOf("old")).contains("a");

        keys("{\"keys\":[{\"sha256\":\"" + KeysFileAuthorizer.sha256Hex("new") + "\",\"tenant\":\"a\"}]}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(auth.tenantOf("new")).contains("a");
        assertThat(auth.tenantOf("old")).isEmpty();
    }
}
