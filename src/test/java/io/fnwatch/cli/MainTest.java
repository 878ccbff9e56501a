package io.fnwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
}
