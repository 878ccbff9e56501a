package io.fnwatch.ingest.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseATenantThatCannotNameItsRawTopic() throws Exception {
        Path file = Files.writeString(
                dir.resolve("accounts.yaml"),
                "accounts:\n"
                        + "  - {account: \"111111111111\", tenant: acme}\n"
                        + "  - {account: \"222222222222\", tenant: \"globex.eu\"}\n");
        List<String> problems = new ArrayList<>();

        List<CloudWatchSource> sources = AccountsFile.read(file, "us-east-1", "default", problems);

        assertThat(sources).extracting(CloudWatchSource::tenant).contains("acme");
        assertThat(problems).singleElement().asString().contains("globex.eu");
    }
}
