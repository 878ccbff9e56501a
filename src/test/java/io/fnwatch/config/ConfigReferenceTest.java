package io.fnwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fnwatch.detect.DetectorSpec;
import io.fnwatch.detect.Detectors;
import io.fnwatch.detect.Param;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

    /** Surefire runs in the project folder; {@code basedir} covers a run started elsewhere. */
    private static Path committed() {
        return Path.of(System.getProperty("basedir", ".")).resolve(ConfigReference.PATH);
    }

    @Test
    void committedReferenceShouldMatchWhatTheCodeDeclares() throws IOException {
        String generated = ConfigReference.markdown();
        Path file = committed();
        if (!Files.exists(file)) {
            fail(ConfigReference.PATH + " is missing: run `" + ConfigReference.COMMAND + "` and commit it");
        }
        String onDisk = Files.readString(file, StandardCharsets.UTF_8);
        if (!onDisk.equals(generated)) {
            List<String> want = generated.lines().toList();
            List<String> have = onDisk.lines().toList();
            int line = 0;
            while (line < Math.min(want.size(), have.size()) && want.get(line).equals(have.get(line))) {
                line++;
            }
            fail(ConfigReference.PATH + " is out of date: run `mvn -B -ntp -q -DskipTests package && "
                    + ConfigReference.COMMAND + "` and commit it. First difference at line " + (line + 1)
                    + ":\n  committed: " + (line < have.size() ? have.get(line) : "<end of file>")
                    + "\n  generated: " + (line < want.size() ? want.get(line) : "<end of file>"));
        }
    }

    @Test
    void shouldListEveryServiceSettingExactlyOnceWithItsEnvironmentVariable() {
        String md = ConfigReference.markdown();

        assertThat(ConfigReference.documentedKeys()).containsExactlyInAnyOrderElementsOf(FnwatchConfig.DEF.names());
        for (String key : FnwatchConfig.DEF.names()) {
            String row = "| `" + key + "` | `" + FnwatchConfig.envName(key) + "` |";
            assertThat(md.split(java.util.regex.Pattern.quote(row), -1)).as(key).hasSize(2);
        }
    }

    @Test
    void shouldShowTypeDefaultRangeAndImportanceOfAServiceSetting() {
        assertThat(ConfigReference.markdown())
                .contains("| `topics.partitions` | `FNWATCH_TOPICS_PARTITIONS` | int | `3` | [1,...,10000] | medium | "
                        + "Partitions of the topics fnwatch creates, including the repartition topic. |")
                .contains("| `late.grace.ms` | `FNWATCH_LATE_GRACE_MS` | long | `300000` (5m) |")
                .contains("| `topic.logs.raw.retention.bytes` | `FNWATCH_TOPIC_LOGS_RAW_RETENTION_BYTES` | long | "
                        + "`1073741824` (1 GiB) |")
                .contains("| `ingest.http.tls.keystore.password` | `FNWATCH_INGEST_HTTP_TLS_KEYSTORE_PASSWORD` | "
                        + "password | *(none)* |")
                .contains("| `tenant.default` | `FNWATCH_TENANT_DEFAULT` | string | `default` | tenant names: 1-64 of");
    }

    @Test
    void shouldListEveryDetectorSettingWithTheDefaultOfTheBuiltInYaml() {
        String md = ConfigReference.markdown();

        for (DetectorSpec<?, ?> spec : Detectors.ALL) {
            assertThat(md).contains("### " + spec.file() + "\n");
            for (Param p : spec.params()) {
                assertThat(md).as(spec.file() + " " + p.name()).contains("| `" + p.name() + "` | ");
            }
        }
        assertThat(md)
                .contains("| `bucket` | duration | `1m` | 10s – 1h | length of one counting bucket |")
                .contains("| `dayAlpha` | number | `0.0005` | 0 – 1 |")
                .contains("| `timeZone` | time zone | `UTC` | IANA zone")
                .contains("| `dormantAfter` | duration | `30d` | 1h – 3650d |")
                .contains("| `aws:python3.9` | 2025-12-15 |");
    }

    @Test
    void shouldBeTheSameOnEveryRunAndHoldNothingOfTheMachine() {
        String md = ConfigReference.markdown();

        assertThat(ConfigReference.markdown()).isEqualTo(md);
        assertThat(md)
                .doesNotContain("$$Lambda")
                .doesNotContainPattern("@[0-9a-f]{6,}")
                .doesNotContain(System.getProperty("user.dir"))
                .doesNotContain(System.getProperty("user.home"))
                .doesNotContain("\r");
    }

    @Test
    void shouldPrintMachineValuesSymbolically() {
        String tmp = System.getProperty("java.io.tmpdir").replaceAll("[/\\\\]+$", "");

        assertThat(ConfigReference.symbolic(tmp + "/fnwatch-state")).isEqualTo("${java.io.tmpdir}/fnwatch-state");
        assertThat(ConfigReference.symbolic(System.getProperty("user.home"))).isEqualTo("${user.home}");
        assertThat(ConfigReference.symbolic("./data/state")).isEqualTo("./data/state");
        assertThat(ConfigReference.symbolic("/aws/lambda/")).isEqualTo("/aws/lambda/");
    }

    @Test
    void shouldWriteDurationsInTheirLargestWholeUnit() {
        assertThat(ConfigReference.duration(0)).isEqualTo("0s");
        assertThat(ConfigReference.duration(250)).isEqualTo("250ms");
        assertThat(ConfigReference.duration(90_000)).isEqualTo("90s");
        assertThat(ConfigReference.duration(7 * 86_400_000L)).isEqualTo("7d");
    }
}
