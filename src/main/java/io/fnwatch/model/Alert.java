package io.fnwatch.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * One alert as published on {@code fnwatch-alerts}. Field names are a public contract: add, never rename.
 * {@code detectedAt} is event time (the event that confirmed or resolved the incident).
 */
@JsonPropertyOrder({
    "id",
    "type",
    "state",
    "tenant",
    "provider",
    "account",
    "region",
    "function",
    "windowStart",
    "windowEnd",
    "detectedAt",
    "severity",
    "score",
    "observed",
    "expected",
    "threshold",
    "summary",
    "evidence"
})
public record Alert(
        String id,
        AlertType type,
        AlertState state,
        String tenant,
        String provider,
        String account,
        String region,
        String function,
        Instant windowStart,
        Instant windowEnd,
        Instant detectedAt,
        Severity severity,
        double score,
        double observed,
        double expected,
        double threshold,
        String summary,
        Map<String, Object> evidence) {

    /** The same incident of the same function always gets the same id, so replays are reproducible. */
    public static String incidentId(AlertType type, FunctionKey key, long incidentStartMillis) {
        String material = type + "|" + key.asString() + "|" + incidentStartMillis;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public FunctionKey key() {
        return new FunctionKey(tenant, provider, account, region, function);
    }
}
