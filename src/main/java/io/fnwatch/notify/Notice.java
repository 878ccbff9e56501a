package io.fnwatch.notify;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One message a sink sends: a single alert as one state change of its incident ({@link Kind#OPEN},
 * {@link Kind#UPDATE}, {@link Kind#RESOLVED}), or a {@link Kind#DIGEST} of the alerts a route's rate limit held
 * back. {@link #key()} is the idempotency key of the message: the same for every delivery of the same state
 * change (a retry, a redelivery after a crash, a replay of the same logs), different for each state change.
 */
public record Notice(Kind kind, List<Alert> alerts, String route) {

    /** What the message says. UPDATE is an OPEN alert of an incident already opened (a severity rise). */
    public enum Kind {
        OPEN,
        UPDATE,
        RESOLVED,
        DIGEST
    }

    public Notice {
        Objects.requireNonNull(kind, "kind");
        alerts = List.copyOf(alerts);
        if (alerts.isEmpty() || (kind != Kind.DIGEST && alerts.size() != 1)) {
            throw new IllegalArgumentException(kind + " notice with " + alerts.size() + " alerts");
        }
    }

    /** A single alert's notice; {@code update}: an OPEN of an incident already opened. */
    public static Notice of(Alert alert, boolean update, String route) {
        Kind kind = alert.state() == AlertState.RESOLVED ? Kind.RESOLVED : update ? Kind.UPDATE : Kind.OPEN;
        return new Notice(kind, List.of(alert), route);
    }

    public static Notice digest(List<Alert> alerts, String route) {
        return new Notice(Kind.DIGEST, alerts, route);
    }

    /** The alert of a single notice; the first held back alert of a digest. */
    public Alert alert() {
        return alerts.get(0);
    }

    /**
     * {@code msg_} and 32 hex characters of SHA-256 over the state changes the message carries: an alert's
     * incident id, state, severity and detection time (an update differs from its OPEN in both of the last).
     * It does not depend on OPEN versus UPDATE, which an instance that restarted between them cannot tell.
     */
    public String key() {
        StringBuilder material = new StringBuilder(kind == Kind.DIGEST ? "digest|" + route : "alert");
        for (Alert a : alerts) {
            material.append('|').append(stateChange(a));
        }
        return "msg_" + sha256Hex(material.toString(), 16);
    }

    /** The identity of one state change of an incident. */
    static String stateChange(Alert a) {
        return a.id() + ':' + a.state() + ':' + a.severity() + ':' + a.detectedAt();
    }

    static String sha256Hex(String s, int bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
