package io.fnwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.serde.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @Test
    void shouldExitWithStatusTwoAndListEveryProblemWhenConfigIsInvalid() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.execute("run", "--set", "topics.partitions=-1", "--set", "no.such.key=1",
                    "--set", "detectors.dir=/nonexistent");
        } finally {
            System.setErr(original);
        }

        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(status).isEqualTo(2);
        assertThat(text).contains("invalid configuration").contains("topics.partitions").contains("no.such.key");
    }

    @Test
    void shouldExitWithStatusTwoWhenDetectorFolderIsMissing() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.execute("run", "--set", "detectors.dir=/nonexistent");
        } finally {
            System.setErr(original);
        }

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("detectors.dir: no such folder: /nonexistent");
    }

    @Test
    void shouldExitWithStatusTwoWhenBacktestDetectorFolderIsMissing() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.execute("backtest", "sample-logs", "--detectors", "/nonexistent");
        } finally {
            System.setErr(original);
        }

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("detectors.dir: no such folder: /nonexistent");
    }

    @Test
    void shouldPrintOneAlertJsonLinePerAlertAndExitZeroWhenBacktestDeadLettersRecords(@TempDir Path dir)
            throws Exception {
        StringBuilder lines = new StringBuilder("not a log line\n");
        for (int i = 0; i < 12; i++) {
            lines.append("{\"logGroup\":\"/aws/lambda/orders-api\",\"logStream\":\"s\",\"timestamp\":")
                    .append(1772409600000L + i * 5_000L).append(",\"message\":\"User: arn:aws:sts::1:assumed-role/r/f")
                    .append(" is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k\"}\n");
        }
        Path file = Files.writeString(dir.resolve("denials.jsonl"), lines);
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.execute("backtest", file.toString());
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }

        assertThat(status).isZero();
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertThat(stdout).endsWith("\n").doesNotContain("Summary");
        assertThat(stdout.lines()).singleElement().satisfies(json ->
                assertThat(Json.string(Json.read(json.getBytes(StandardCharsets.UTF_8), Alert.class))).isEqualTo(json));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("records read:   13")
                .contains("UNKNOWN_FORMAT=1").contains("PERMISSION_DENIED_BURST");
    }
}
