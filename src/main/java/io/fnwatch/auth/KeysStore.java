package io.fnwatch.auth;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of one keys file, held in memory and re-read by {@link #reload()} when the file's content changes,
 * so that a new or revoked key takes effect without a restart. A reload that fails keeps the last good keys
 * (a typo must not lock every sender out) but says so loudly: one ERROR line per bad version, the
 * {@code fnwatch.keys.reload.failures} counter, {@code fnwatch.keys.stale} at 1 and a {@link Status} that
 * {@code /readyz} shows. A deleted file is different: nothing then says which keys are still meant to work,
 * so every key is refused until the file is back (fail closed).
 */
public final class KeysStore implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(KeysStore.class);
    private static final int MAX_KEY_LENGTH = 4096;
    private static final int MAX_PROBLEM_LENGTH = 300;

    /** What a presented key turned out to be. */
    public enum Outcome {
        ACCEPTED,
        MISSING,
        UNKNOWN,
        REVOKED
    }

    public record Result(Outcome outcome, TenantKey key) {}

    /** How the file on disk relates to the keys in force. */
    public enum State {
        /** The keys in force are the file's. */
        OK,
        /** The file changed but cannot be read or is invalid: the last good keys are in force. */
        INVALID,
        /** The file is gone: no key is accepted. */
        MISSING
    }

    /** For {@code /readyz} and the logs; {@code loadedAt} is the last successful load. */
    public record Status(String file, State state, int keys, Instant loadedAt, String problem) {}

    private record Entry(TenantKey key, byte[] hash) {}

    private final Path file;
    private final Clock clock;
    private final AtomicLong failures = new AtomicLong();
    private volatile List<Entry> entries;
    private volatile Status status;
    private byte[] seen;

    private KeysStore(Path file, Clock clock, List<TenantKey> keys, byte[] seen) {
        this.file = file;
        this.clock = clock;
        this.entries = entries(keys);
        this.seen = seen;
        this.status = file == null ? null : new Status(file.toString(), State.OK, usable(), clock.instant(), null);
    }

    /** Loads the file; a missing or invalid file at start is an error (no silent open door). */
    public static KeysStore open(Path file, Clock clock) throws IOException {
        byte[] bytes = KeysFile.bytes(file);
        return new KeysStore(file, clock, KeysFile.parse(bytes, file.toString()), KeysFile.sha256(bytes));
    }

    /** No keys file: every key is refused. */
    public static KeysStore none() {
        return new KeysStore(null, Clock.systemUTC(), List.of(), null);
    }

    private static List<Entry> entries(List<TenantKey> keys) {
        return keys.stream()
                .map(k -> new Entry(k, HexFormat.of().parseHex(k.sha256())))
                .toList();
    }

    /**
     * Compares the presented key's SHA-256 with every entry in constant time, without stopping at a match, so
     * that neither the key nor which entry it matched can be learned from timing.
     */
    public Result authenticate(String presented) {
        if (presented == null || presented.isBlank()) {
            return new Result(Outcome.MISSING, null);
        }
        if (presented.length() > MAX_KEY_LENGTH) {
            return new Result(Outcome.UNKNOWN, null);
        }
        byte[] hash = KeysFile.sha256(presented.strip());
        TenantKey match = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(hash, e.hash())) {
                match = e.key();
            }
        }
        if (match == null) {
            return new Result(Outcome.UNKNOWN, null);
        }
        return new Result(match.revoked() ? Outcome.REVOKED : Outcome.ACCEPTED, match);
    }

    /** Re-reads the file when its content changed; returns whether a new set of keys is in force. */
    public synchronized boolean reload() {
        if (file == null) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = KeysFile.bytes(file);
        } catch (NoSuchFileException e) {
            return gone();
        } catch (IOException | RuntimeException e) {
            return failed(null, "cannot read it: " + e);
        }
        byte[] hash = KeysFile.sha256(bytes);
        if (Arrays.equals(hash, seen)) {
            return false;
        }
        seen = hash;
        try {
            entries = entries(KeysFile.parse(bytes, file.toString()));
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            return failed(
                    hash,
                    why.startsWith(file + ": ") ? why.substring(file.toString().length() + 2) : why);
        }
        status = new Status(file.toString(), State.OK, usable(), clock.instant(), null);
        LOG.info("keys reloaded from {}: {} keys accepted", file, status.keys());
        return true;
    }

    private boolean gone() {
        if (status.state() == State.MISSING) {
            return false;
        }
        seen = null;
        entries = List.of();
        failures.incrementAndGet();
        status = new Status(file.toString(), State.MISSING, 0, status.loadedAt(), "the keys file is gone");
        LOG.error("keys file {} is gone: every key is refused until it is back", file);
        return true;
    }

    /** Keeps the keys in force; {@code hash} null when the file could not even be read (then reported once). */
    private boolean failed(byte[] hash, String why) {
        String problem = shorten(why);
        if (hash == null && problem.equals(status.problem())) {
            return false;
        }
        seen = hash;
        failures.incrementAndGet();
        boolean revokedAll = status.state() == State.MISSING;
        status = new Status(
                file.toString(), revokedAll ? State.MISSING : State.INVALID, usable(), status.loadedAt(), problem);
        LOG.error(
                "keys file {} is invalid; {}: {}",
                file,
                revokedAll
                        ? "it was gone before, so every key is still refused"
                        : "the " + status.keys() + " keys loaded at " + status.loadedAt() + " stay in force",
                problem);
        return false;
    }

    /** A parser's message on one line, short enough for a log line and a readiness body. */
    private static String shorten(String why) {
        String s = why == null || why.isBlank() ? "invalid" : why.strip().replaceAll("\\s+", " ");
        return s.length() <= MAX_PROBLEM_LENGTH ? s : s.substring(0, MAX_PROBLEM_LENGTH) + "…";
    }

    private int usable() {
        return (int) entries.stream().filter(e -> !e.key().revoked()).count();
    }

    /** Null for {@link #none()}. */
    public Status status() {
        return status;
    }

    public Path file() {
        return file;
    }

    /** Tenants of the keys in force (not revoked): each needs its raw topic to send to. */
    public java.util.Set<String> tenants() {
        java.util.Set<String> tenants = new java.util.TreeSet<>();
        for (Entry e : entries) {
            if (!e.key().revoked()) {
                tenants.add(e.key().tenant());
            }
        }
        return tenants;
    }
    /** Keys accepted now (not revoked). */
    public int size() {
        return usable();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (file == null) {
            return;
        }
        String tag = file.toString();
        Gauge.builder("fnwatch.keys.loaded", this, KeysStore::usable)
                .tag("file", tag)
                .description("Keys accepted now (not revoked); 0 when the keys file is gone")
                .register(registry);
        Gauge.builder("fnwatch.keys.stale", this, s -> s.status.state() == State.OK ? 0 : 1)
                .tag("file", tag)
                .description("1 while the keys file on disk is invalid or gone, so the keys in force are not "
                        + "the file's")
                .register(registry);
        Gauge.builder(
                        "fnwatch.keys.last.success",
                        this,
                        s -> s.status.loadedAt().toEpochMilli() / 1000.0)
                .baseUnit("seconds")
                .tag("file", tag)
                .description("When the keys file was last loaded successfully (Unix time)")
                .register(registry);
        FunctionCounter.builder("fnwatch.keys.reload.failures", failures, AtomicLong::get)
                .tag("file", tag)
                .description("Reloads of the keys file that failed (each invalid version, each deletion)")
                .register(registry);
    }
}
