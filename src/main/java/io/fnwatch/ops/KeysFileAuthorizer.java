package io.fnwatch.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.serde.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Tenant keys from a JSON file of {@code [{"sha256": "<hex of the key's SHA-256>", "tenant": "acme"}]} (or
 * the same list under {@code "keys"}): only hashes are stored, so the file leaks no key. A token is hashed
 * and compared with every entry in constant time, and no entry ends the scan early, so timing tells nothing
 * about which hash was close. The file is re-read when its modification time changes: keys rotate without
 * a restart.
 */
public final class KeysFileAuthorizer implements TenantAuthorizer {

    private record Entry(byte[] sha256, String tenant) {
    }

    private record Loaded(FileTime modified, List<Entry> entries) {
    }

    private final Path file;
    private volatile Loaded loaded;

    public KeysFileAuthorizer(Path file) {
        this.file = file;
        this.loaded = load();
    }

    @Override
    public Optional<String> tenantOf(String bearerToken) {
        if (bearerToken == null || bearerToken.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = sha256(bearerToken);
        String tenant = null;
        for (Entry e : current().entries()) {
            if (MessageDigest.isEqual(hash, e.sha256()) && tenant == null) {
                tenant = e.tenant();
            }
        }
        return Optional.ofNullable(tenant);
    }

    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private Loaded current() {
        try {
            if (!Files.getLastModifiedTime(file).equals(loaded.modified())) {
                loaded = load();
            }
        } catch (IOException | RuntimeException e) {
            // keep the keys we have: a file being rewritten must not lock every caller out
        }
        return loaded;
    }

    private Loaded load() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(file));
            JsonNode list = root.isArray() ? root : root.path("keys");
            List<Entry> entries = new ArrayList<>();
            for (JsonNode n : list) {
                String hex = n.path("sha256").asText("");
                String tenant = n.path("tenant").asText("");
                if (hex.length() != 64 || tenant.isEmpty()) {
                    throw new IllegalArgumentException("keys file " + file + ": each entry needs a 64-hex sha256 "
                            + "and a tenant");
                }
                entries.add(new Entry(HexFormat.of().parseHex(hex), tenant));
            }
            return new Loaded(modified, List.copyOf(entries));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keys file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
