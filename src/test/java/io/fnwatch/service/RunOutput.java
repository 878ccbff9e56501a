package io.fnwatch.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one run of the service left on its topics, read with read_committed: each function's alerts as the
 * exact JSON bytes in partition order, and the dead letters as reason and payload (their arrival time and
 * offsets differ from run to run by nature, so they are left out of the comparison and kept aside, per
 * dead letter, for failure messages).
 */
record RunOutput(
        Map<String, List<String>> alertsByFunction,
        Map<String, Integer> deadLetters,
        Map<String, String> deadLetterOrigins) {

    static RunOutput read(FnwatchConfig c) {
        Map<String, List<String>> alerts = new TreeMap<>();
        try (TopicReader r = new TopicReader(c, c.string(FnwatchConfig.TOPIC_ALERTS))) {
            r.readToEnd(rec -> alerts.computeIfAbsent(rec.key(), k -> new ArrayList<>())
                    .add(new String(rec.value(), StandardCharsets.UTF_8)));
        }
        Map<String, Integer> dead = new TreeMap<>();
        Map<String, String> origins = new TreeMap<>();
        try (TopicReader r = new TopicReader(c, c.string(FnwatchConfig.TOPIC_DEAD_LETTERS))) {
            r.readToEnd(rec -> {
                JsonNode d = Json.read(rec.value(), JsonNode.class);
                String key = d.path("reason").asText() + " "
                        + d.path("payloadBase64").asText();
                dead.merge(key, 1, Integer::sum);
                origins.put(
                        key,
                        d.path("reason").asText() + " of " + d.path("topic").asText() + "-"
                                + d.path("partition").asText() + "@"
                                + d.path("offset").asText() + ", received "
                                + d.path("receivedAt").asText() + ", dead letter " + rec.topic() + "-" + rec.partition()
                                + "@" + rec.offset());
            });
        }
        return new RunOutput(alerts, dead, origins);
    }

    /** The topics {@link #read} reads: a run is only done when no transaction is open on them. */
    static List<String> topics(FnwatchConfig c) {
        return List.of(c.string(FnwatchConfig.TOPIC_ALERTS), c.string(FnwatchConfig.TOPIC_DEAD_LETTERS));
    }

    /** For failure messages: the dead letters that {@code run} lacks or has more of than this run, with origins. */
    String deadLettersDiff(RunOutput run) {
        List<String> out = new ArrayList<>();
        Set<String> keys = new TreeSet<>(deadLetters.keySet());
        keys.addAll(run.deadLetters().keySet());
        for (String k : keys) {
            int d = run.deadLetters().getOrDefault(k, 0) - deadLetters.getOrDefault(k, 0);
            if (d != 0) {
                out.add(
                        (d < 0
                                ? "missing " + -d + " x " + deadLetterOrigins.get(k)
                                : "extra " + d + " x " + run.deadLetterOrigins().get(k)));
            }
        }
        return out.size() + " dead letters differ:\n  " + String.join("\n  ", out);
    }

    int alertCount() {
        return alertsByFunction.values().stream().mapToInt(List::size).sum();
    }

    Map<String, Integer> deadLettersByReason() {
        Map<String, Integer> out = new TreeMap<>();
        deadLetters.forEach((k, n) -> out.merge(k.substring(0, k.indexOf(' ')), n, Integer::sum));
        return out;
    }
}
