package io.fnwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    private static CommandOutcome execute(String... args) {
        return CommandOutcome.execute(args);
    }

    @Test
    void shouldExitWithStatusTwoAndListEveryProblemWhenConfigIsInvalid() {
        CommandOutcome o = execute(
                "run",
                "--set",
                "topics.partitions=-1",
                "--set",
                "no.such.key=1",
                "--set",
                "detectors.dir=/nonexistent");

        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err())
                .contains("invalid configuration")
                .contains("topics.partitions")
                .contains("no.such.key");
    }

    @Test
    void shouldExitWithStatusTwoWhenReplayIsGivenATenantThatCannotNameATopic() {
        CommandOutcome o =
                execute("replay", "--bootstrap-servers", "127.0.0.1:1", "--tenant", "acme.eu", "sample-logs");

        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("--tenant").contains("acme.eu");
    }

    @Test
    void shouldExitWithStatusTwoWhenHttpIngestWouldServePlainHttpToOtherHosts(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.yaml"), "[]\n");

        CommandOutcome o =
                execute("run", "--http-port", "0", "--http-host", "0.0.0.0", "--set", "ingest.http.keys.file=" + keys);

        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err())
                .contains("ingest.http.host: 0.0.0.0 is reachable from other hosts")
                .contains("--insecure-http");
    }

    @Test
    void shouldExitWithStatusTwoWhenDetectorFolderIsMissing() {
        CommandOutcome o = execute("run", "--set", "detectors.dir=/nonexistent");

        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("detectors.dir: no such folder: /nonexistent");
    }

    @Test
    void shouldExitWithStatusTwoBeforeStartingAnythingWhenTheKeysFileIsInvalid(@TempDir Path dir) throws Exception {
        Path keys =
                Files.writeString(dir.resolve("keys.yaml"), "keys:\n  - id: a\n    sha256: nothex\n    tenant: acme\n");

        CommandOutcome o =
                execute("run", "--set", "ops.keys.file=" + keys, "--set", "embedded.data.dir=" + dir.resolve("kafka"));

        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("ops.keys.file: cannot load the keys file").contains("key a: sha256 must be");
        assertThat(dir.resolve("kafka")).doesNotExist();
    }

    @Test
    void shouldExitWithStatusTwoWhenBacktestDetectorFolderIsMissing() {
        CommandOutcome o = execute("backtest", "sample-logs", "--detectors", "/nonexistent");

        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("detectors.dir: no such folder: /nonexistent");
    }

    @Test
    void shouldPrintOneAlertJsonLinePerAlertAndExitZeroWhenBacktestDeadLettersRecords(@TempDir Path dir)
            throws Exception {
        StringBuilder lines = new StringBuilder("not a log line\n");
        for (int i = 0; i < 12; i++) {
            lines.append("{\"logGroup\":\"/aws/lambda/orders-api\",\"logStream\":\"s\",\"timestamp\":")
                    .append(1772409600000L + i * 5_000L)
                    .append(",\"message\":\"User: arn:aws:sts::1:assumed-role/r/f")
                    .append(" is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k\"}\n");
        }
        Path file = Files.writeString(dir.resolve("denials.jsonl"), lines);

        CommandOutcome o = execute("backtest", file.toString());

        assertThat(o.status()).isZero();
        assertThat(o.out()).endsWith("\n").doesNotContain("Summary");
        assertThat(o.out().lines())
                .isNotEmpty()
                .allSatisfy(json -> assertThat(
                                Json.string(Json.read(json.getBytes(StandardCharsets.UTF_8), Alert.class)))
                        .isEqualTo(json));
        assertThat(o.err())
                .contains("records read:   13")
                .contains("UNKNOWN_FORMAT=1")
                .contains("PERMISSION_DENIED_BURST");
    }

    @Test
    void shouldMaskSecretsInRejectedLinesWhenParsePrintsThem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("bad.jsonl"),
                "{\"logGroup\":\"/aws/lambda/f\",\"message\":" + "\"postgres://app:Hunter2-9x@db/x\"}\n");

        CommandOutcome o = execute("parse", file.toString());

        assertThat(o.status()).isZero();
        assertThat(o.err())
                .contains("MISSING_FIELD")
                .contains("[REDACTED:URL_CREDENTIALS]")
                .doesNotContain("Hunter2-9x");
    }

    @Test
    void shouldMaskEveryRejectionDetailAndExcerptWhenParsePrintsThem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("bad.jsonl"),
                "{\"logGroup\":\"/aws/lambda/f\",\"password\": hunter2}\n"
                        + "{\"logName\":\"projects/p/logs/x\",\"resource\":{\"type\":\"cloud_function\"},"
                        + "\"timestamp\":\"AKIAIOSFODNN7EXAMPLE\",\"textPayload\":\"x\"}\n"
                        + "{\"logGroup\":\"/aws/lambda/f\",\"logStream\":\"s\",\"timestamp\":1,\"message\":"
                        + "\"{\\\"password\\\":\\\"hunter3\\\"}\"}\n");

        CommandOutcome o = execute("parse", file.toString());

        assertThat(o.status()).isZero();
        assertThat(o.err())
                .contains("BAD_JSON")
                .contains("BAD_FIELD")
                .doesNotContain("hunter2")
                .doesNotContain("IOSFODNN7EXAMPLE");
        assertThat(o.out()).contains("[REDACTED:SECRET_PAIR]").doesNotContain("hunter3");
    }

    @Test
    void shouldExitTwoListingEveryProblemOfAnInventoryFileAndWriteNothing(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("inv.csv"), "function,lastInvoked\n,2026-01-01\nx,soon\n");

        CommandOutcome o = execute("inventory", "import", "--bootstrap-servers", "127.0.0.1:1", file.toString());

        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("row 1: function is missing").contains("row 2: lastInvoked is not an ISO-8601");
    }

    @Test
    void shouldKeyASubscriptionPayloadWithTheRegionGivenWhenItNamesNone(@TempDir Path dir) throws Exception {
        Path file = Files.copy(
                Path.of("src/test/resources/golden/subscription/data-message.in"), dir.resolve("payload.json"));

        CommandOutcome with = execute("parse", "--region", "eu-west-2", file.toString());
        CommandOutcome without = execute("parse", file.toString());

        assertThat(with.status()).isZero();
        assertThat(with.out()).contains("\"region\":\"eu-west-2\"").doesNotContain("\"region\":null");
        assertThat(without.out()).contains("\"region\":null").doesNotContain("eu-west-2");
    }

    @Test
    void shouldExitTwoWhenRegionIsNotARegionName(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("x.json"), "{}\n");

        for (String command : new String[] {"parse", "backtest"}) {
            CommandOutcome o = execute(command, "--region", "../eu-west-2", file.toString());

            assertThat(o.status()).as(command).isEqualTo(2);
            assertThat(o.err()).as(command).contains("--region: not an AWS region name");
        }
    }

    @Test
    void shouldMaskASecretInsideAnEnvelopesBase64DataWhenParsePrintsTheRejectedLine(@TempDir Path dir)
            throws Exception {
        // an awslogs envelope whose data is neither gzip nor JSON: rejected, and its excerpt must not carry the
        // password
        String data = java.util.Base64.getEncoder()
                .encodeToString("password=hunter2 ghp_16C7e42F292c6912E7710c838347Ae178B4a".getBytes());
        Path file = Files.writeString(dir.resolve("bad.jsonl"), "{\"awslogs\":{\"data\":\"" + data + "\"}}\n");

        CommandOutcome o = execute("parse", file.toString());

        assertThat(o.err()).contains("bad.jsonl:1").doesNotContain(data);
        String excerpt = o.err().substring(o.err().indexOf("\"data\":\"") + 8);
        String decoded = new String(java.util.Base64.getDecoder().decode(excerpt.substring(0, excerpt.indexOf('"'))));
        assertThat(decoded)
                .contains("password=[REDACTED:SECRET_PAIR]")
                .doesNotContain("hunter2")
                .doesNotContain("ghp_16C7");
    }

    @Test
    void shouldPrintTheKeyOnceAndStoreOnlyItsHashWhenKeysCreateAndRevokeRun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.yaml");

        CommandOutcome created = execute(
                "keys",
                "create",
                "--tenant",
                "acme",
                "--id",
                "firehose-1",
                "--account",
                "123456789012",
                "--file",
                file.toString());
        CommandOutcome revoked = execute("keys", "revoke", "--id", "firehose-1", "--file", file.toString());

        String key = created.out().strip();
        assertThat(created.status()).isZero();
        assertThat(key).startsWith("fnw_").hasSizeGreaterThan(40);
        assertThat(created.err()).doesNotContain(key);
        var keys = io.fnwatch.auth.KeysFile.read(file);
        assertThat(Files.readString(file)).doesNotContain(key);
        assertThat(keys).singleElement().satisfies(k -> {
            assertThat(k.sha256()).isEqualTo(io.fnwatch.auth.KeysFile.sha256Hex(key));
            assertThat(k.tenant()).isEqualTo("acme");
            assertThat(k.accounts()).containsExactly("123456789012");
            assertThat(k.revoked()).isTrue();
        });
        assertThat(revoked.status()).isZero();
    }
}
