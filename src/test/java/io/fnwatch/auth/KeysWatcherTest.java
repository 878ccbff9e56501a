package io.fnwatch.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.FnwatchConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysWatcherTest {

    private static final String KEY = "fnw_key";

    @TempDir
    Path dir;

    private Path keysFile(String name, boolean revoked) throws Exception {
        Path f = dir.resolve(name);
        KeysFile.write(f, List.of(new TenantKey("k", KeysFile.sha256Hex(KEY), "acme", List.of(), revoked)));
        return f;
    }

    private static FnwatchConfig config(Path functions, Path ingest) {
        return FnwatchConfig.of(Map.of(
                "ops.keys.file",
                functions.toString(),
                "ingest.http.port",
                "0",
                "ingest.http.keys.file",
                ingest.toString()));
    }

    @Test
    void shouldShareOneStoreWhenIngestAndFunctionsNameTheSameFile() throws Exception {
        Path f = keysFile("keys.yaml", false);
        Path sameFileOtherSpelling = dir.resolve("sub").resolve("..").resolve("keys.yaml");

        try (KeysWatcher keys = KeysWatcher.open(config(f, sameFileOtherSpelling))) {
            assertThat(keys.ingest()).isSameAs(keys.functions());
            assertThat(keys.statuses()).hasSize(1);

            KeysFile.write(f, List.of(new TenantKey("k", KeysFile.sha256Hex(KEY), "acme", List.of(), true)));
            keys.reload();

            assertThat(keys.functions().authenticate(KEY).outcome()).isEqualTo(KeysStore.Outcome.REVOKED);
        }
    }

    @Test
    void shouldWatchBothFilesWhenTheSettingsNameTwo() throws Exception {
        try (KeysWatcher keys =
                KeysWatcher.open(config(keysFile("functions.yaml", true), keysFile("ingest.json", false)))) {
            assertThat(keys.statuses()).hasSize(2);
            assertThat(keys.functions().authenticate(KEY).outcome()).isEqualTo(KeysStore.Outcome.REVOKED);
            assertThat(keys.ingest().authenticate(KEY).outcome()).isEqualTo(KeysStore.Outcome.ACCEPTED);
        }
    }

    @Test
    void shouldNameEverySettingWhoseFileIsBadWhenOpened() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "keys: [");

        assertThatThrownBy(() -> KeysWatcher.open(config(bad, dir.resolve("absent.yaml"))))
                .isInstanceOf(ConfigErrors.class)
                .satisfies(e -> assertThat(((ConfigErrors) e).problems())
                        .hasSize(2)
                        .anySatisfy(p -> assertThat(p).startsWith("ops.keys.file: cannot load the keys file"))
                        .anySatisfy(p -> assertThat(p).startsWith("ingest.http.keys.file: cannot load the keys file")));
    }
}
