package io.fnwatch.auth;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fnwatch.model.Json;
import io.fnwatch.parse.SourceHints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * Reads and writes the keys file: {@code {"keys": [{id, sha256, tenant, accounts, region, revoked}]}} (or the bare list)
 * as JSON or YAML. Keys themselves are made here and shown once; only their SHA-256 is ever stored, and every
 * component that takes keys (HTTP ingest, {@code /functions}) reads this one format through {@link KeysStore}.
 */
public final class KeysFile {

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final ObjectMapper YAML = Json.YAML;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long MAX_FILE_BYTES = 16L << 20;

    private KeysFile() {}

    /** A new random key: 256 bits, URL-safe, prefixed so that leaked keys are easy to search for. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "fnw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] sha256(String key) {
        return sha256(key.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /** Reads and checks every entry; an invalid file is an IOException naming all its problems. */
    public static List<TenantKey> read(Path file) throws IOException {
        return parse(bytes(file), file.toString());
    }

    /**
     * The file's bytes; a regular file (or a link to one, as Kubernetes mounts secrets) of at most 16 MiB, so
     * that a wrong path such as a device cannot fill the heap. {@link NoSuchFileException} when it is absent.
     */
    static byte[] bytes(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (Files.notExists(file)) {
                throw new NoSuchFileException(file.toString());
            }
            throw new IOException(file + ": not a regular file");
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + ": larger than " + MAX_FILE_BYTES + " bytes");
        }
        return Files.readAllBytes(file);
    }

    /**
     * Both shapes docs/security.md documents: {@code {"keys": [...]}} and a bare list, each as JSON or YAML. An entry
     * without an {@code id} gets {@code <tenant>-<first 8 hex digits of its hash>}, the name {@code keys create}
     * gives, so that the short {@code [{"sha256", "tenant"}]} form still names each key in logs and meters.
     */
    static List<TenantKey> parse(byte[] bytes, String source) throws IOException {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return List.of();
        }
        ObjectMapper mapper = text.startsWith("{") || text.startsWith("[") ? JSON : YAML;
        JsonNode root = tree(mapper, bytes, source);
        JsonNode list = root == null || root.isNull() ? null : root.isArray() ? root : root.get("keys");
        if (root != null
                && !root.isNull()
                && !root.isArray()
                && (!root.isObject() || root.size() != 1 || !root.has("keys"))) {
            throw new IOException(source + ": expected a list of keys, or an object with only \"keys\"");
        }
        List<TenantKey> keys = new ArrayList<>();
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IOException(source + ": \"keys\" must be a list");
            }
            for (JsonNode n : list) {
                keys.add(withDefaultId(entry(mapper, n, source, keys.size() + 1)));
            }
        }
        List<String> problems = problems(keys);
        if (!problems.isEmpty()) {
            throw new IOException(source + ": " + String.join("; ", problems));
        }
        return keys;
    }

    /*
     * Parser messages quote the text they choke on, and the classic slip is a key pasted where its hash
     * belongs: these errors reach the log and /readyz, so they give a position or a field name, never text.
     */
    private static JsonNode tree(ObjectMapper mapper, byte[] bytes, String source) throws IOException {
        try {
            return mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IOException(source + ": not valid " + (mapper == JSON ? "JSON" : "YAML")
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        }
    }

    private static TenantKey entry(ObjectMapper mapper, JsonNode n, String source, int number) throws IOException {
        try {
            return Json.strict(mapper).treeToValue(n, TenantKey.class);
        } catch (UnrecognizedPropertyException e) {
            // a misspelt field is named; anything that does not look like one may be a pasted key
            String name = e.getPropertyName() != null && e.getPropertyName().matches("[A-Za-z]{1,16}")
                    ? " \"" + e.getPropertyName() + "\""
                    : "";
            throw new IOException(source + ": entry #" + number + ": unknown field" + name
                    + " (known: id, sha256, tenant, accounts, region, revoked)");
        } catch (JsonProcessingException e) {
            throw new IOException(source + ": entry #" + number + ": a field has the wrong type (id, sha256 and "
                    + "tenant are strings, accounts a list of strings, region a string, revoked true or false)");
        }
    }

    private static TenantKey withDefaultId(TenantKey k) {
        if ((k.id() == null || k.id().isBlank())
                && k.tenant() != null
                && k.sha256() != null
                && HEX_SHA256.matcher(k.sha256()).matches()) {
            return new TenantKey(
                    defaultId(k.tenant(), k.sha256()), k.sha256(), k.tenant(), k.accounts(), k.region(), k.revoked());
        }
        return k;
    }

    /** The name of a key that was given none: its tenant and the first 4 bytes of its hash. */
    public static String defaultId(String tenant, String sha256Hex) {
        return tenant + "-" + sha256Hex.substring(0, 8);
    }

    static List<String> problems(List<TenantKey> keys) {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (TenantKey k : keys) {
            String id = k.id() == null || k.id().isBlank() ? "#" + (keys.indexOf(k) + 1) : k.id();
            if (k.id() == null || k.id().isBlank() || !ids.add(k.id())) {
                problems.add("key " + id + ": id is missing or not unique");
            }
            if (k.sha256() == null || !HEX_SHA256.matcher(k.sha256()).matches()) {
                problems.add("key " + id + ": sha256 must be 64 lower-case hex digits");
            } else if (!hashes.add(k.sha256())) {
                // one key must mean one tenant, and a revoked entry must not be shadowed by a live copy
                problems.add("key " + id + ": the same sha256 is listed twice");
            }
            if (k.accounts().stream().anyMatch(a -> a == null || a.isBlank())) {
                problems.add("key " + id + ": accounts must not be blank");
            }
            if (k.region() != null && SourceHints.awsRegion(k.region()) == null) {
                // the region becomes part of function keys: a typo would split one function in two
                problems.add("key " + id + ": region must be an AWS region name such as eu-west-2");
            }
            // the tenant is the first part of every function key ('/'-separated) and names its raw topic
            // (<raw>.<tenant>, split at the '.'), so neither separator may appear in it
            if (k.tenant() == null || !TENANT.matcher(k.tenant()).matches()) {
                problems.add("key " + id + ": tenant must be 1-64 of A-Z a-z 0-9 _ -");
            }
        }
        return problems;
    }

    /**
     * Replaces the file in one rename, so a server never reads it half-written. A {@code .json} file is written
     * as JSON, any other as YAML.
     */
    public static void write(Path file, List<TenantKey> keys) throws IOException {
        List<String> problems = problems(keys);
        if (!problems.isEmpty()) {
            throw new IOException(String.join("; ", problems));
        }
        ObjectMapper mapper = file.getFileName().toString().endsWith(".json") ? JSON : YAML;
        ObjectNode root = mapper.createObjectNode();
        root.set("keys", mapper.valueToTree(keys));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".keys-", ".tmp");
        try {
            mapper.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** One entry as YAML, for printing. */
    public static String yaml(TenantKey key) throws IOException {
        return YAML.writeValueAsString(List.of(key));
    }
}
