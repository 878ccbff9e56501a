package io.fnwatch.cli;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.model.Alert;
import io.fnwatch.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = "Print the alerts on the alerts topic (read_committed), from the beginning.")
final class AlertsCommand implements Callable<Integer> {

    private final AlertFormat format = new AlertFormat();

    @Mixin
    CommonOptions common;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing new alerts until interrupted.")
    boolean follow;

    @Option(names = "--json", description = "Print the alert JSON (one object per line).")
    boolean json;

    @Override
    public Integer call() {
        FnwatchConfig c = common.loadClient();
        AtomicBoolean stop = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.set(true);
            try {
                main.join(5_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        try (TopicReader reader = new TopicReader(c, c.string(FnwatchConfig.TOPIC_ALERTS))) {
            if (follow) {
                reader.follow(this::print, stop::get);
            } else {
                reader.readToEnd(this::print);
            }
        }
        return 0;
    }

    private void print(ConsumerRecord<String, byte[]> r) {
        System.out.println(
                json ? new String(r.value(), StandardCharsets.UTF_8) : format.line(Json.read(r.value(), Alert.class)));
        System.out.flush();
    }
}
