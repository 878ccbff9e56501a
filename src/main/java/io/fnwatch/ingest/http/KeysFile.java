package io.fnwatch.ingest.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and writes the keys file: {@code {"keys": [{id, sha256, tenant, accounts, revoked}]}} as JSON or YAML.
 * Keys themselves are made here and shown once; only their SHA-256 is ever stored.
 */
public final class KeysFile {

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeysFile() {
    }

    /** A new random key: 256 bits, URL-safe, prefixed so that leaked keys are easy to search for. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "fnw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /** Reads and checks every entry; an invalid file is an IOException naming all its problems. */
    public static List<IngestKey> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return List.of();
        }
        ObjectMapper mapper = text.startsWith("{") || text.startsWith("[") ? JSON : YAML;
        JsonNode root = mapper.readTree(bytes);
        JsonNode list = root == null ? null : root.isArray() ? root : root.get("keys");
        List<IngestKey> keys = new ArrayList<>();
        if (list != null && !list.isNull()) {
            for (JsonNode n : list) {
                keys.add(mapper.treeToValue(n, IngestKey.class));
            }
        }
        List<String> problems = problems(keys);
        if (!problems.isEmpty()) {
            throw new IOException(file + ": " + String.join("; ", problems));
        }
        return keys;
    }

    static List<String> problems(List<IngestKey> keys) {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (IngestKey k : keys) {
            String id = k.id() == null || k.id().isBlank() ? "#" + (keys.indexOf(k) + 1) : k.id();
            if (k.id() == null || k.id().isBlank() || !ids.add(k.id())) {
                problems.add("key " + id + ": id is missing or not unique");
            }
            if (k.sha256() == null || !HEX_SHA256.matcher(k.sha256()).matches()) {
                problems.add("key " + id + ": sha256 must be 64 lower-case hex digits");
            }
            // the tenant is the first part of every function key, whose parts are separated by '/'
            if (k.tenant() == null || !TENANT.matcher(k.tenant()).matches()) {
                problems.add("key " + id + ": tenant must be 1-64 of A-Z a-z 0-9 . _ -");
            }
        }
        return problems;
    }

    /** Replaces the file in one rename, so the server never reads it half-written. */
    public static void write(Path file, List<IngestKey> keys) throws IOException {
        List<String> problems = problems(keys);
        if (!problems.isEmpty()) {
            throw new IOException(String.join("; ", problems));
        }
        ObjectNode root = YAML.createObjectNode();
        root.set("keys", YAML.valueToTree(keys));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".keys-", ".tmp");
        try {
            YAML.writeValue(tmp.toFile(), root);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** One entry as YAML, for printing. */
    public static String yaml(IngestKey key) throws IOException {
        return YAML.writeValueAsString(List.of(key));
    }
}
