package io.fnwatch.notify;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Severity;
import java.time.Instant;
import java.util.Map;

/** Alerts for the tests, with explicit times. */
final class Alerts {

    static final Instant T0 = Instant.parse("2026-03-03T14:00:00Z");

    private Alerts() {}

    static Alert alert(String function, AlertType type, AlertState state, Severity severity, Instant detectedAt) {
        return alert("default", function, type, state, severity, detectedAt);
    }

    static Alert alert(
            String tenant, String function, AlertType type, AlertState state, Severity severity, Instant detectedAt) {
        FunctionKey key = new FunctionKey(tenant, "aws", "123456789012", "us-east-1", function);
        return new Alert(
                Alert.incidentId(type, key, T0.toEpochMilli()),
                type,
                state,
                tenant,
                "aws",
                "123456789012",
                "us-east-1",
                function,
                T0,
                detectedAt.plusSeconds(60),
                detectedAt,
                severity,
                score(severity),
                80,
                4.11,
                20,
                function + " ran 80 times in 60 s against 4.1 expected <b>&</b>",
                Map.of("bucketCount", 80, "level", 4.11));
    }

    static Alert open(String function) {
        return alert(function, AlertType.TRAFFIC_SPIKE, AlertState.OPEN, Severity.MEDIUM, T0.plusSeconds(29));
    }

    static Alert update(String function) {
        return alert(function, AlertType.TRAFFIC_SPIKE, AlertState.OPEN, Severity.HIGH, T0.plusSeconds(238));
    }

    static Alert resolved(String function) {
        return alert(function, AlertType.TRAFFIC_SPIKE, AlertState.RESOLVED, Severity.HIGH, T0.plusSeconds(1200));
    }

    private static double score(Severity s) {
        return switch (s) {
            case LOW -> 55;
            case MEDIUM -> 65;
            case HIGH -> 80;
            case CRITICAL -> 95;
        };
    }
}
