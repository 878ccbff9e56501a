package io.fnwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.ConfigReference;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConfigReferenceCommandTest {

    private static String stdout(int expectedStatus, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute(args)).isEqualTo(expectedStatus);
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrintTheReferenceAsUtf8Markdown() {
        assertThat(stdout(0, "config-reference")).isEqualTo(ConfigReference.markdown());
    }

    @Test
    void shouldStayOutOfTheUsersHelp() {
        assertThat(stdout(0, "--help")).contains("backtest").doesNotContain("config-reference");
    }
}
