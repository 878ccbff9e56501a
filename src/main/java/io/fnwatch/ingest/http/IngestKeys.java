package io.fnwatch.ingest.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys file, held in memory and re-read when its modification time or size changes, so that a new or
 * revoked key takes effect without a restart. A file that becomes invalid is logged and ignored: the keys
 * loaded before stay in force rather than locking every sender out.
 */
public final class IngestKeys {

    private static final Logger LOG = LoggerFactory.getLogger(IngestKeys.class);
    private static final int MAX_KEY_LENGTH = 4096;

    /** What a presented key turned out to be. */
    public enum Outcome { ACCEPTED, MISSING, UNKNOWN, REVOKED }

    public record Result(Outcome outcome, IngestKey key) {
    }

    private record Entry(IngestKey key, byte[] hash) {
    }

    private record Snapshot(List<Entry> entries, Object version) {
    }

    private final Path file;
    private volatile Snapshot snapshot;
    private volatile Object rejectedVersion;

    private IngestKeys(Path file, Snapshot snapshot) {
        this.file = file;
        this.snapshot = snapshot;
    }

    /** Loads the file; a missing or invalid file at start is an error (no silent open door). */
    public static IngestKeys load(Path file) throws IOException {
        return new IngestKeys(file, read(file));
    }

    private static Snapshot read(Path file) throws IOException {
        Object version = version(file);
        List<Entry> entries = KeysFile.read(file).stream()
                .map(k -> new Entry(k, HexFormat.of().parseHex(k.sha256()))).toList();
        return new Snapshot(entries, version);
    }

    private static Object version(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return List.of(a.lastModifiedTime(), a.size());
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
        IngestKey match = null;
        for (Entry e : snapshot.entries()) {
            if (MessageDigest.isEqual(hash, e.hash())) {
                match = e.key();
            }
        }
        if (match == null) {
            return new Result(Outcome.UNKNOWN, null);
        }
        return new Result(match.revoked() ? Outcome.REVOKED : Outcome.ACCEPTED, match);
    }

    /** Re-reads the file when it changed; returns whether a new version was loaded. */
    public boolean reloadIfChanged() {
        try {
            Object version = version(file);
            if (Objects.equals(version, snapshot.version()) || Objects.equals(version, rejectedVersion)) {
                return false;
            }
            rejectedVersion = version;
            snapshot = read(file);
            LOG.info("ingest keys reloaded from {}: {} keys", file, snapshot.entries().size());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("ingest keys file {} is unreadable or invalid; keeping the keys loaded before: {}", file,
                    e.getMessage());
            return false;
        }
    }

    public int size() {
        return snapshot.entries().size();
    }
}
