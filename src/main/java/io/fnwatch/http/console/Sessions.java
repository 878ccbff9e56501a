package io.fnwatch.http.console;

import io.fnwatch.auth.KeysStore;
import io.fnwatch.auth.TenantKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sign-ins: a tenant key is exchanged for a random session id (256 bits) kept in this instance's memory,
 * carried by an HttpOnly, SameSite=Strict cookie. Each request checks the key again, so a revoked or removed key
 * ends its sessions at once; a session also ends after its time to live or on sign-out. The key itself stays in
 * memory for as long as the session does: it is what a request for a function held by another instance is
 * forwarded with.
 */
final class Sessions {

    static final String COOKIE = "fnwatch_session";
    /** At most this many live sessions; the oldest are dropped first when more sign in. */
    static final int MAX = 10_000;

    record Session(String id, String token, long expiresAt) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final KeysStore keys;
    private final long ttlMs;
    private final Clock clock;

    Sessions(KeysStore keys, long ttlMs, Clock clock) {
        this.keys = keys;
        this.ttlMs = ttlMs;
        this.clock = clock;
    }

    long ttlMs() {
        return ttlMs;
    }

    /** A new session for a key the keys file accepts, or null. */
    Session signIn(String token) {
        if (token == null
                || token.isBlank()
                || keys.authenticate(token.trim()).outcome() != KeysStore.Outcome.ACCEPTED) {
            return null;
        }
        expire();
        byte[] id = new byte[32];
        random.nextBytes(id);
        Session s = new Session(
                Base64.getUrlEncoder().withoutPadding().encodeToString(id), token.trim(), clock.millis() + ttlMs);
        sessions.put(s.id(), s);
        return s;
    }

    /** The key of a live session whose key is still accepted, or null. */
    TenantKey caller(String sessionId) {
        Session s = session(sessionId);
        return s == null ? null : keys.authenticate(s.token()).key();
    }

    Session session(String sessionId) {
        Session s = sessionId == null ? null : sessions.get(sessionId);
        if (s == null) {
            return null;
        }
        if (s.expiresAt() <= clock.millis() || keys.authenticate(s.token()).outcome() != KeysStore.Outcome.ACCEPTED) {
            sessions.remove(sessionId);
            return null;
        }
        return s;
    }

    void signOut(String sessionId) {
        if (sessionId != null) {
            sessions.remove(sessionId);
        }
    }

    private void expire() {
        long now = clock.millis();
        sessions.values().removeIf(s -> s.expiresAt() <= now);
        if (sessions.size() >= MAX) {
            Iterator<Session> oldest = sessions.values().stream()
                    .sorted((a, b) -> Long.compare(a.expiresAt(), b.expiresAt()))
                    .limit(sessions.size() - MAX + 1)
                    .toList()
                    .iterator();
            oldest.forEachRemaining(s -> sessions.remove(s.id()));
        }
    }
}
