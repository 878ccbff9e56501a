package io.fnwatch.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestKeysTest {

    private static final String OLD = "fnw_old-key";
    private static final String NEW = "fnw_new-key";

    @TempDir
    Path dir;

    private Path file(IngestKey... keys) throws IOException {
        Path f = dir.resolve("keys.yaml");
        KeysFile.write(f, List.of(keys));
        return f;
    }

    private static IngestKey key(String id, String key, boolean revoked) {
        return new IngestKey(id, KeysFile.sha256Hex(key), "acme", List.of("123456789012"), revoked);
    }

    @Test
    void shouldAcceptBothKeysWhileTheyAreRotated() throws IOException {
        IngestKeys keys = IngestKeys.load(file(key("old", OLD, false), key("new", NEW, false)));

        assertThat(keys.authenticate(OLD).key().id()).isEqualTo("old");
        assertThat(keys.authenticate(NEW).key().id()).isEqualTo("new");
        assertThat(keys.authenticate("fnw_other").outcome()).isEqualTo(IngestKeys.Outcome.UNKNOWN);
        assertThat(keys.authenticate(null).outcome()).isEqualTo(IngestKeys.Outcome.MISSING);
    }

    @Test
    void shouldRefuseARevokedKeyWhenTheFileChangesWithoutRestart() throws IOException {
        Path f = file(key("old", OLD, false), key("new", NEW, false));
        IngestKeys keys = IngestKeys.load(f);

        KeysFile.write(f, List.of(key("old", OLD, true), key("new", NEW, false)));

        assertThat(keys.reloadIfChanged()).isTrue();
        assertThat(keys.authenticate(OLD).outcome()).isEqualTo(IngestKeys.Outcome.REVOKED);
        assertThat(keys.authenticate(NEW).outcome()).isEqualTo(IngestKeys.Outcome.ACCEPTED);
        assertThat(keys.reloadIfChanged()).isFalse();
    }

    @Test
    void shouldKeepTheLoadedKeysWhenTheFileBecomesInvalid() throws IOException {
        Path f = file(key("old", OLD, false));
        IngestKeys keys = IngestKeys.load(f);

        Files.writeString(f, "keys:\n  - id: old\n    sha256: nothex\n    tenant: acme\n");

        assertThat(keys.reloadIfChanged()).isFalse();
        assertThat(keys.authenticate(OLD).outcome()).isEqualTo(IngestKeys.Outcome.ACCEPTED);
    }

    @Test
    void shouldReadJsonAndNameEveryProblemWhenEntriesAreBad() throws IOException {
        Path f = dir.resolve("keys.json");
        Files.writeString(f, "{\"keys\":[{\"id\":\"a\",\"sha256\":\"" + KeysFile.sha256Hex(OLD)
                + "\",\"tenant\":\"acme\"},{\"id\":\"a\",\"sha256\":\"x\",\"tenant\":\"a/b\"}]}");

        assertThatThrownBy(() -> IngestKeys.load(f)).isInstanceOf(IOException.class)
                .hasMessageContaining("not unique").hasMessageContaining("64 lower-case hex")
                .hasMessageContaining("tenant must be");
    }

    @Test
    void shouldStoreOnlyTheHashWhenAKeyIsWritten() throws IOException {
        Path f = file(key("old", OLD, false));

        assertThat(Files.readString(f)).contains(KeysFile.sha256Hex(OLD)).doesNotContain(OLD);
    }

    @Test
    void shouldAllowOnlyListedAccountsWhenTheKeyNamesSome() {
        IngestKey k = key("k", OLD, false);

        assertThat(k.mayUseAccount("123456789012")).isTrue();
        assertThat(k.mayUseAccount("210987654321")).isFalse();
        assertThat(k.mayUseAccount(null)).isTrue();
        assertThat(new IngestKey("any", KeysFile.sha256Hex(OLD), "acme", List.of(), false).mayUseAccount("1"))
                .isTrue();
    }
}
