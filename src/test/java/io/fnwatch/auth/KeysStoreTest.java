package io.fnwatch.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.model.FunctionKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysStoreTest {

    private static final String OLD = "fnw_old-key";
    private static final String NEW = "fnw_new-key";
    private static final Instant T0 = Instant.parse("2026-03-03T14:00:00Z");

    @TempDir
    Path dir;

    private Path file(TenantKey... keys) throws IOException {
        Path f = dir.resolve("keys.yaml");
        KeysFile.write(f, List.of(keys));
        return f;
    }

    private static TenantKey key(String id, String key, boolean revoked) {
        return new TenantKey(id, KeysFile.sha256Hex(key), "acme", List.of("123456789012"), revoked);
    }

    private static KeysStore open(Path f) throws IOException {
        return KeysStore.open(f, Clock.fixed(T0, ZoneOffset.UTC));
    }

    @Test
    void shouldAcceptBothKeysWhileTheyAreRotated() throws IOException {
        KeysStore keys = open(file(key("old", OLD, false), key("new", NEW, false)));

        assertThat(keys.authenticate(OLD).key().id()).isEqualTo("old");
        assertThat(keys.authenticate(NEW).key().id()).isEqualTo("new");
        assertThat(keys.authenticate("fnw_other").outcome()).isEqualTo(KeysStore.Outcome.UNKNOWN);
        assertThat(keys.authenticate(null).outcome()).isEqualTo(KeysStore.Outcome.MISSING);
        assertThat(keys.authenticate("x".repeat(100_000)).outcome()).isEqualTo(KeysStore.Outcome.UNKNOWN);
    }

    @Test
    void shouldRefuseARevokedKeyWhenTheFileChangesWithoutRestart() throws IOException {
        Path f = file(key("old", OLD, false), key("new", NEW, false));
        KeysStore keys = open(f);

        KeysFile.write(f, List.of(key("old", OLD, true), key("new", NEW, false)));

        assertThat(keys.reload()).isTrue();
        assertThat(keys.authenticate(OLD).outcome()).isEqualTo(KeysStore.Outcome.REVOKED);
        assertThat(keys.authenticate(NEW).outcome()).isEqualTo(KeysStore.Outcome.ACCEPTED);
        assertThat(keys.reload()).isFalse();
        assertThat(keys.size()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheLastGoodKeysButReportItWhenARevokingEditLeavesTheFileInvalid() throws IOException {
        Path f = file(key("old", OLD, false), key("new", NEW, false));
        KeysStore keys = open(f);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        keys.bindTo(meters);

        // the operator revokes "old" by hand and mistypes the other entry's hash
        Files.writeString(
                f,
                "keys:\n  - id: old\n    sha256: " + KeysFile.sha256Hex(OLD) + "\n    tenant: acme\n"
                        + "    revoked: true\n  - id: new\n    sha256: nothex\n    tenant: acme\n");

        assertThat(keys.reload()).isFalse();
        assertThat(keys.authenticate(OLD).outcome()).isEqualTo(KeysStore.Outcome.ACCEPTED);
        assertThat(keys.status().state()).isEqualTo(KeysStore.State.INVALID);
        assertThat(keys.status().problem()).contains("key new: sha256 must be 64 lower-case hex digits");
        assertThat(keys.status().loadedAt()).isEqualTo(T0);
        assertThat(keys.reload()).isFalse();
        assertThat(meters.get("fnwatch.keys.reload.failures").functionCounter().count())
                .isEqualTo(1);
        assertThat(meters.get("fnwatch.keys.stale").gauge().value()).isEqualTo(1);
        assertThat(meters.get("fnwatch.keys.loaded").gauge().value()).isEqualTo(2);
        assertThat(meters.get("fnwatch.keys.last.success").gauge().value()).isEqualTo(T0.getEpochSecond());

        KeysFile.write(f, List.of(key("old", OLD, true), key("new", NEW, false)));

        assertThat(keys.reload()).isTrue();
        assertThat(keys.authenticate(OLD).outcome()).isEqualTo(KeysStore.Outcome.REVOKED);
        assertThat(keys.status().state()).isEqualTo(KeysStore.State.OK);
        assertThat(meters.get("fnwatch.keys.stale").gauge().value()).isZero();
    }

    @Test
    void shouldRefuseEveryKeyWhenTheFileIsDeletedUntilItIsBack() throws IOException {
        Path f = file(key("old", OLD, false));
        KeysStore keys = open(f);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        keys.bindTo(meters);

        Files.delete(f);

        assertThat(keys.reload()).isTrue();
        assertThat(keys.authenticate(OLD).outcome()).isEqualTo(KeysStore.Outcome.UNKNOWN);
        assertThat(keys.status().state()).isEqualTo(KeysStore.State.MISSING);
        assertThat(keys.reload()).isFalse();
        assertThat(meters.get("fnwatch.keys.reload.failures").functionCounter().count())
                .isEqualTo(1);
        assertThat(meters.get("fnwatch.keys.loaded").gauge().value()).isZero();

        // an invalid file in its place does not bring the old keys back
        Files.writeString(f, "keys: [");
        assertThat(keys.reload()).isFalse();
        assertThat(keys.authenticate(OLD).outcome()).isEqualTo(KeysStore.Outcome.UNKNOWN);
        assertThat(keys.status().state()).isEqualTo(KeysStore.State.MISSING);

        file(key("old", OLD, false));
        assertThat(keys.reload()).isTrue();
        assertThat(keys.authenticate(OLD).outcome()).isEqualTo(KeysStore.Outcome.ACCEPTED);
        assertThat(keys.status().state()).isEqualTo(KeysStore.State.OK);
    }

    @Test
    void shouldReadTheShortJsonListWithoutIdsThatFunctionsUsedToRead() throws IOException {
        Path f = Files.writeString(
                dir.resolve("keys.json"),
                "[{\"sha256\":\"" + KeysFile.sha256Hex(OLD) + "\",\"tenant\":\"acme\"},{\"sha256\":\""
                        + KeysFile.sha256Hex(NEW) + "\",\"tenant\":\"globex\"}]");

        KeysStore keys = open(f);

        assertThat(keys.authenticate(OLD).key().tenant()).isEqualTo("acme");
        assertThat(keys.authenticate(NEW).key().id())
                .isEqualTo("globex-" + KeysFile.sha256Hex(NEW).substring(0, 8));
    }

    @Test
    void shouldReadTheSameKeysFromJsonAndYamlInBothShapes() throws IOException {
        String hash = KeysFile.sha256Hex(OLD);
        List<String> files = List.of(
                "{\"keys\":[{\"id\":\"k\",\"sha256\":\"" + hash + "\",\"tenant\":\"acme\",\"revoked\":true}]}",
                "[{\"id\":\"k\",\"sha256\":\"" + hash + "\",\"tenant\":\"acme\",\"revoked\":true}]",
                "keys:\n  - id: k\n    sha256: " + hash + "\n    tenant: acme\n    revoked: true\n",
                "- id: k\n  sha256: " + hash + "\n  tenant: acme\n  revoked: true\n");
        for (String text : files) {
            Path f = Files.writeString(dir.resolve("keys"), text);
            assertThat(KeysFile.read(f)).as(text).containsExactly(new TenantKey("k", hash, "acme", List.of(), true));
        }
    }

    @Test
    void shouldNameEveryProblemWhenEntriesAreBad() throws IOException {
        Path f = dir.resolve("keys.json");
        Files.writeString(
                f,
                "{\"keys\":[{\"id\":\"a\",\"sha256\":\"" + KeysFile.sha256Hex(OLD)
                        + "\",\"tenant\":\"acme\"},{\"id\":\"a\",\"sha256\":\"x\",\"tenant\":\"a/b\"},"
                        + "{\"id\":\"c\",\"sha256\":\"" + KeysFile.sha256Hex(OLD) + "\",\"tenant\":\"evil\"}]}");

        assertThatThrownBy(() -> open(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not unique")
                .hasMessageContaining("64 lower-case hex")
                .hasMessageContaining("tenant must be")
                .hasMessageContaining("key c: the same sha256 is listed twice");
    }

    @Test
    void shouldReadAKeysRegionAndNameEveryBadOneWithTheOtherProblems() throws IOException {
        String good = "keys:\n  - id: k\n    sha256: " + KeysFile.sha256Hex(OLD) + "\n    tenant: acme\n"
                + "    region: eu-west-2\n";
        Path f = Files.writeString(dir.resolve("keys.yaml"), good);

        assertThat(KeysFile.read(f))
                .singleElement()
                .extracting(TenantKey::region)
                .isEqualTo("eu-west-2");

        Files.writeString(
                f,
                "[{\"id\":\"a\",\"sha256\":\"" + KeysFile.sha256Hex(OLD)
                        + "\",\"tenant\":\"acme\",\"region\":\"EU-WEST-2\"},"
                        + "{\"id\":\"b\",\"sha256\":\"x\",\"tenant\":\"acme\",\"region\":\"../\"}]");
        assertThatThrownBy(() -> KeysFile.read(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("key a: region must be an AWS region name")
                .hasMessageContaining("key b: region must be an AWS region name")
                .hasMessageContaining("key b: sha256 must be");

        Files.writeString(
                f,
                "[{\"id\":\"a\",\"sha256\":\"" + KeysFile.sha256Hex(OLD) + "\",\"tenant\":\"acme\",\"regoin\":\"x\"}]");
        assertThatThrownBy(() -> KeysFile.read(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(
                        "unknown field \"regoin\" (known: id, sha256, tenant, accounts, region, revoked)");
    }

    @Test
    void shouldKeepTheRegionWhenAKeyIsWrittenAndRevoked() throws IOException {
        TenantKey k = new TenantKey("k", KeysFile.sha256Hex(OLD), "acme", List.of(), "us-gov-west-1", false);
        Path f = file(k.revoke());

        assertThat(KeysFile.read(f))
                .containsExactly(new TenantKey("k", k.sha256(), "acme", List.of(), "us-gov-west-1", true));
    }

    @Test
    void shouldNotQuoteTheFileWhenAKeyPastedInsteadOfItsHashBreaksTheSyntax() throws IOException {
        Path f = file(key("old", OLD, false));
        KeysStore keys = open(f);
        String pasted = "fnw_PastedSecretKeyValue";
        List<String> edits = List.of(
                "keys:\n  - id: new\n    sha256: " + pasted + ": x\n    tenant: acme\n",
                "{\"keys\":[{\"id\":\"new\",\"sha256\":" + pasted + "}]}",
                "keys:\n  - id: new\n    sha256: " + pasted + "\n    tenant: acme\n    revoked: " + pasted + "\n",
                "keys:\n  - id: new\n    " + pasted + ": x\n");

        for (String edit : edits) {
            Files.writeString(f, edit);
            keys.reload();
            assertThat(keys.status().state()).as(edit).isEqualTo(KeysStore.State.INVALID);
            assertThat(keys.status().problem()).as(edit).isNotBlank().doesNotContain("PastedSecret");
        }
        assertThat(keys.authenticate(OLD).outcome()).isEqualTo(KeysStore.Outcome.ACCEPTED);
        Files.writeString(f, "keys:\n  - id: new\n    revoke: true\n");
        keys.reload();
        assertThat(keys.status().problem()).contains("entry #1: unknown field \"revoke\"");
    }

    @Test
    void shouldRefuseAFileOfAnotherShapeWhenOpened() throws IOException {
        Path f = Files.writeString(dir.resolve("keys.yaml"), "sha256: abc\ntenant: acme\n");

        assertThatThrownBy(() -> open(f)).isInstanceOf(IOException.class).hasMessageContaining("expected a list");
        assertThatThrownBy(() -> open(dir.resolve("none.yaml"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> open(dir)).isInstanceOf(IOException.class).hasMessageContaining("not a regular file");
    }

    @Test
    void shouldKeepTheKeysWhenTheFileIsReplacedByADirectory() throws IOException {
        Path f = file(key("old", OLD, false));
        KeysStore keys = open(f);

        Files.delete(f);
        Files.createDirectory(f);

        assertThat(keys.reload()).isFalse();
        assertThat(keys.status().state()).isEqualTo(KeysStore.State.INVALID);
        assertThat(keys.status().problem()).contains("not a regular file");
        assertThat(keys.authenticate(OLD).outcome()).isEqualTo(KeysStore.Outcome.ACCEPTED);
    }

    @Test
    void shouldStoreOnlyTheHashWhenAKeyIsWritten() throws IOException {
        Path f = file(key("old", OLD, false));

        assertThat(Files.readString(f)).contains(KeysFile.sha256Hex(OLD)).doesNotContain(OLD);
    }

    @Test
    void shouldAllowOnlyListedAccountsWhenTheKeyNamesSome() {
        TenantKey k = key("k", OLD, false);

        assertThat(k.mayUseAccount("123456789012")).isTrue();
        assertThat(k.mayUseAccount("210987654321")).isFalse();
        assertThat(k.mayUseAccount(null)).isTrue();
        assertThat(new TenantKey("any", KeysFile.sha256Hex(OLD), "acme", List.of(), false).mayUseAccount("1"))
                .isTrue();
    }

    @Test
    void shouldReadOnlyItsTenantsFunctionsInItsAccountsWhenAsked() {
        TenantKey k = key("k", OLD, false);

        assertThat(k.mayRead(FunctionKey.parse("acme/aws/123456789012/us-east-1/orders")))
                .isTrue();
        assertThat(k.mayRead(FunctionKey.parse("acme/aws/-/-/orders"))).isTrue();
        assertThat(k.mayRead(FunctionKey.parse("acme/aws/210987654321/us-east-1/orders")))
                .isFalse();
        assertThat(k.mayRead(FunctionKey.parse("globex/aws/123456789012/us-east-1/orders")))
                .isFalse();
    }

    @Test
    void shouldRefuseEveryoneWhenNoFileIsConfigured() {
        KeysStore none = KeysStore.none();

        assertThat(none.authenticate(OLD).outcome()).isEqualTo(KeysStore.Outcome.UNKNOWN);
        assertThat(none.reload()).isFalse();
        assertThat(none.status()).isNull();
    }
}
