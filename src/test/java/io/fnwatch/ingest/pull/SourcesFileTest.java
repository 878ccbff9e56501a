package io.fnwatch.ingest.pull;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldBindListedNamesToTheDefaultTenantAndFileEntriesToTheirs() throws Exception {
        Path file = dir.resolve("pubsub.yaml");
        Files.writeString(file, """
                subscriptions:
                  - subscription: projects/acme-prod/subscriptions/fnwatch
                    tenant: acme
                    projects: [acme-prod]
                  - subscription: projects/shared/subscriptions/fnwatch
                """);
        List<String> problems = new ArrayList<>();
        List<PullSource> sources =
                SourcesFile.read("pubsub", List.of("projects/p/subscriptions/s"), file.toString(), "default", problems);

        assertThat(problems).isEmpty();
        assertThat(sources)
                .containsExactly(
                        new PullSource("pubsub", "projects/p/subscriptions/s", "default", List.of()),
                        new PullSource(
                                "pubsub", "projects/acme-prod/subscriptions/fnwatch", "acme", List.of("acme-prod")),
                        new PullSource("pubsub", "projects/shared/subscriptions/fnwatch", "default", List.of()));
        assertThat(sources.get(1).allows("ACME-PROD")).isTrue();
        assertThat(sources.get(1).allows("rival")).isFalse();
        assertThat(sources.get(1).allows(null)).isTrue();
    }

    @Test
    void shouldRefuseASourceTwiceABadTenantAMisspeltFieldAndAShortSubscriptionName() throws Exception {
        Path file = dir.resolve("hubs.yaml");
        Files.writeString(file, """
                hubs:
                  - hub: logs
                    tenant: "acme.corp"
                  - hub: other
                """);
        List<String> problems = new ArrayList<>();
        SourcesFile.read("eventhubs", List.of("other"), file.toString(), "default", problems);
        assertThat(problems).hasSize(2).anyMatch(p -> p.contains("tenant")).anyMatch(p -> p.contains("twice"));

        Files.writeString(file, "hubs:\n  - hub: logs\n    tenants: acme\n");
        problems.clear();
        SourcesFile.read("eventhubs", List.of(), file.toString(), "default", problems);
        assertThat(problems).singleElement().asString().contains("tenants");

        problems.clear();
        SourcesFile.read("pubsub", List.of("fnwatch"), "", "default", problems);
        assertThat(problems).singleElement().asString().contains("projects/PROJECT/subscriptions/NAME");
    }
}
