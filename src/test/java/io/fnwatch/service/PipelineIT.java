package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.kafka.CatchUp;
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.model.Alert;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.Json;
import io.fnwatch.parse.ParserSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on a real in-process KRaft broker, fed with sample-logs/. */
class PipelineIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final DetectorConfig DETECTORS = DetectorConfig.load(Path.of("detectors"), 300_000);

    @TempDir
    Path state;

    private FnwatchConfig config(String appId, String prefix) {
        return FnwatchConfig.of(Map.of(
                FnwatchConfig.BOOTSTRAP_SERVERS,
                KAFKA.bootstrapServers(),
                FnwatchConfig.APPLICATION_ID,
                appId,
                FnwatchConfig.STATE_DIR,
                state.toString(),
                FnwatchConfig.TOPIC_RAW,
                prefix + "-logs-raw",
                FnwatchConfig.TOPIC_EVENTS,
                prefix + "-events",
                FnwatchConfig.TOPIC_ALERTS,
                prefix + "-alerts",
                FnwatchConfig.TOPIC_DEAD_LETTERS,
                prefix + "-dead-letters",
                FnwatchConfig.TOPIC_INVENTORY,
                prefix + "-inventory",
                OpsSettings.HTTP_PORT,
                "0",
                OpsSettings.INTERNAL_PORT,
                "0"));
    }

    private static FileReplayer.Result replay(FnwatchConfig c, List<Path> files) throws Exception {
        return new FileReplayer(KafkaClients.producer(c), c.string(FnwatchConfig.TOPIC_RAW), ParserSettings.DEFAULTS)
                .replay(files, n -> {});
    }

    private static FnwatchService service(FnwatchConfig c) throws Exception {
        return FnwatchService.start(new FnwatchService.Started(c, null), DETECTORS, Duration.ofMinutes(2));
    }

    private static List<Alert> alerts(FnwatchConfig c) {
        List<Alert> out = new ArrayList<>();
        try (TopicReader r = new TopicReader(c, c.string(FnwatchConfig.TOPIC_ALERTS))) {
            r.readToEnd(rec -> out.add(Json.read(rec.value(), Alert.class)));
        }
        return out;
    }

    @Test
    void shouldReportExactlyTheSampleIncidentsAndDeadLetterTheMalformedRecords() throws Exception {
        FnwatchConfig c = config("fnwatch-it-demo", "demo");
        try (FnwatchService service = service(c)) {
            FileReplayer.Result sent = replay(c, List.of(Path.of("sample-logs")));
            assertThat(CatchUp.await(c, Duration.ofMinutes(3), () -> {})).isTrue();

            SampleIncidents.assertExactlyReplayedFileByFile(alerts(c));
            assertThat(sent.records()).isGreaterThan(100_000);

            Map<String, Integer> dead = new TreeMap<>();
            try (TopicReader r = new TopicReader(c, c.string(FnwatchConfig.TOPIC_DEAD_LETTERS))) {
                r.readToEnd(rec ->
                        dead.merge(Json.read(rec.value(), DeadLetter.class).reason(), 1, Integer::sum));
            }
            assertThat(dead).isEqualTo(Map.of("BAD_JSON", 1, "MISSING_FIELD", 3, "UNKNOWN_FORMAT", 3));
        }
    }

    @Test
    void shouldCreateTopicsWithTheirPartitionsAndCompactTheInventory() throws Exception {
        FnwatchConfig c = config("fnwatch-it-topics", "topics");
        TopicAdmin.ensure(c);
        try (Admin admin = Admin.create(KafkaClients.common(c))) {
            Map<String, TopicDescription> d = admin.describeTopics(List.of("topics-logs-raw", "topics-inventory"))
                    .allTopicNames()
                    .get();
            assertThat(d.get("topics-logs-raw").partitions()).hasSize(3);
            ConfigResource inv = new ConfigResource(ConfigResource.Type.TOPIC, "topics-inventory");
            assertThat(admin.describeConfigs(List.of(inv))
                            .all()
                            .get()
                            .get(inv)
                            .get("cleanup.policy")
                            .value())
                    .isEqualTo("compact");
        }
        assertThat(TopicAdmin.ensure(c)).isEmpty();
    }

    @Test
    void shouldResumeFromCommittedOffsetsAndStateWhenRestarted() throws Exception {
        FnwatchConfig c = config("fnwatch-it-restart", "restart");
        List<Path> files = FileReplayer.files(List.of(Path.of("sample-logs")));
        List<Path> first = files.subList(0, files.size() / 2);
        List<Path> second = files.subList(files.size() / 2, files.size());
        try (FnwatchService service = service(c)) {
            replay(c, first);
            assertThat(CatchUp.await(c, Duration.ofMinutes(3), () -> {})).isTrue();
        }
        assertThat(Files.list(state)).isNotEmpty();
        try (FnwatchService service = service(c)) {
            replay(c, second);
            assertThat(CatchUp.await(c, Duration.ofMinutes(3), () -> {})).isTrue();
        }

        SampleIncidents.assertExactlyReplayedFileByFile(alerts(c));
    }
}
