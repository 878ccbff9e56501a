package io.fnwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.model.Alert;
import io.fnwatch.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fnwatch notify} in a child JVM, killed with SIGKILL while a delivery hangs, then started again: every
 * state change reaches the webhook, and whatever is delivered twice carries the same {@code webhook-id}.
 */
@Tag("slow")
class NotifyCrashIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    private Process start(Path routes, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "io.fnwatch.cli.Main",
                "notify",
                "--bootstrap-servers",
                KAFKA.bootstrapServers(),
                "--routes",
                routes.toString()));
        for (String s : List.of(
                "topic.alerts=crash-alerts",
                "notify.group.id=crash-notify",
                "ops.internal.port=0",
                "notify.backoff.base.ms=20",
                "notify.backoff.max.ms=200",
                "notify.request.timeout.ms=30000",
                // the killed member's partitions move once its session expires: 6 s, the broker's minimum
                "kafka.session.timeout.ms=6000")) {
            cmd.addAll(List.of("--set", s));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("FNWATCH_"));
        return pb.start();
    }

    private static void await(String what, BooleanSupplier condition, Path log, Receiver hooks) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; the webhook answered "
                        + hooks.requests().stream().map(r -> r.answered()).toList() + "\n"
                        + Files.readString(log));
            }
            Thread.sleep(20); // polling interval of a condition wait
        }
    }

    @Test
    void sigkillMidDeliveryThenRestartLosesNothing() throws Exception {
        String secret = SinksTest.newSecret(41);
        Files.writeString(dir.resolve("whsec"), secret);
        FnwatchConfig c = FnwatchConfig.of(Map.of(FnwatchConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers()));
        try (Admin admin = Admin.create(KafkaClients.common(c))) {
            admin.createTopics(List.of(new NewTopic("crash-alerts", 3, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        List<Alert> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String f = "fn-" + i;
            sent.addAll(List.of(Alerts.open(f), Alerts.update(f), Alerts.resolved(f)));
        }
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(c))) {
            sent.forEach(
                    a -> p.send(new ProducerRecord<>("crash-alerts", a.key().asString(), Json.bytes(a))));
        }
        Path log = dir.resolve("notify.log");
        try (Receiver hooks = new Receiver()) {
            Path routes = dir.resolve("routes.yaml");
            Files.writeString(routes, """
                    sinks:
                      hook: {type: webhook, url: "%s", secrets: [{file: %s}]}
                    routes:
                      - {name: all, sinks: hook}
                    """.formatted(hooks.uri("/hook"), dir.resolve("whsec")));
            // twelve accepted, then the thirteenth hangs: the process is killed in the middle of it
            for (int i = 0; i < 12; i++) {
                hooks.then(Receiver.Answer.ok());
            }
            hooks.always(Receiver.Answer.hanging());

            Process first = start(routes, log);
            try {
                await("13 webhook requests", () -> hooks.requests().size() >= 13, log, hooks);
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no last commit
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            hooks.always(Receiver.Answer.ok());

            Process second = start(routes, log);
            try {
                Set<String> expected =
                        sent.stream().map(a -> Notice.of(a, false, "all").key()).collect(Collectors.toSet());
                await(
                        "every state change accepted",
                        () -> hooks.requests().stream()
                                .filter(r -> r.answered() == 200)
                                .map(r -> r.headers().get("webhook-id"))
                                .collect(Collectors.toSet())
                                .containsAll(expected),
                        log,
                        hooks);
                assertThat(hooks.requests().stream().map(r -> r.headers().get("webhook-id")))
                        .allMatch(expected::contains);
                assertThat(hooks.requests())
                        .allMatch(r -> WebhookVerifier.verify(
                                secret,
                                r.headers(),
                                r.body(),
                                Long.parseLong(r.headers().get("webhook-timestamp"))));
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
