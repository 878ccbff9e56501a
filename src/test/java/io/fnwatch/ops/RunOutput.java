package io.fnwatch.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.serde.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of the service left on its topics, read with read_committed: each function's alerts as the
 * exact JSON bytes in partition order, and the dead letters as reason and payload (their arrival time and
 * offsets differ from run to run by nature, so they are left out).
 */
record RunOutput(Map<String, List<String>> alertsByFunction, Map<String, Integer> deadLetters) {

    static RunOutput read(FnwatchConfig c) {
        Map<String, List<String>> alerts = new TreeMap<>();
        try (TopicReader r = new TopicReader(c, c.string(FnwatchConfig.TOPIC_ALERTS))) {
            r.readToEnd(rec -> alerts.computeIfAbsent(rec.key(), k -> new ArrayList<>())
                    .add(new String(rec.value(), StandardCharsets.UTF_8)));
        }
        Map<String, Integer> dead = new TreeMap<>();
        try (TopicReader r = new TopicReader(c, c.string(FnwatchConfig.TOPIC_DEAD_LETTERS))) {
            r.readToEnd(rec -> {
                JsonNode d = Json.read(rec.value(), JsonNode.class);
                dead.merge(d.path("reason").asText() + " " + d.path("payloadBase64").asText(), 1, Integer::sum);
            });
        }
        return new RunOutput(alerts, dead);
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
