package io.fnwatch.notify;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fnwatch.model.Alert;
import java.time.Instant;
import java.util.List;

/**
 * A notice fnwatch gave up on, as written to {@code fnwatch-notify-dead-letters}: which sink and route, the
 * idempotency key (to resend it by hand without a duplicate), the attempts, the last error (never a secret:
 * a status and the start of the receiver's answer, or the kind of network failure), and the alerts.
 */
@JsonPropertyOrder({
    "sink",
    "sinkType",
    "route",
    "kind",
    "key",
    "attempts",
    "firstAttemptAt",
    "gaveUpAt",
    "lastError",
    "alerts"
})
public record NotifyDeadLetter(
        String sink,
        String sinkType,
        String route,
        String kind,
        String key,
        int attempts,
        Instant firstAttemptAt,
        Instant gaveUpAt,
        String lastError,
        List<Alert> alerts) {}
