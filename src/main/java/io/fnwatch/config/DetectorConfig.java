package io.fnwatch.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fnwatch.detect.DetectorSettings;
import io.fnwatch.detect.DetectorSpec;
import io.fnwatch.detect.Detectors;
import io.fnwatch.detect.Param;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The detector settings of {@code detectors/*.yaml}, one file per registered detector ({@link Detectors}):
 * {@code enabled}, {@code defaults} (every setting) and {@code overrides} ({@code match} of tenant/function
 * globs, then {@code set}). Loading checks everything and reports every problem at once; {@link #forFunction}
 * resolves one function's settings.
 */
public final class DetectorConfig {

    private static final Set<String> TOP_KEYS = Set.of("enabled", "defaults", "overrides");
    private static final Set<String> MATCH_KEYS = Set.of("tenant", "function");
    private static final int CACHE_LIMIT = 100_000;

    private record Override(Pattern tenant, Pattern function, Map<String, Object> values) {
        boolean matches(FunctionKey k) {
            return tenant.matcher(k.tenant()).matches()
                    && function.matcher(k.function()).matches();
        }
    }

    private record Loaded(
            DetectorSpec<?, ?> spec, boolean enabled, Map<String, Object> defaults, List<Override> overrides) {
        Object resolve(FunctionKey key) {
            if (!enabled) {
                return null;
            }
            Map<String, Object> v = new HashMap<>(defaults);
            overrides.stream().filter(o -> o.matches(key)).forEach(o -> v.putAll(o.values()));
            return spec.settings().apply(new DetectorSpec.Values(v));
        }
    }

    private final Detectors registry;
    private final List<Loaded> detectors;
    private final long lateGraceMs;
    private final DetectorSettings shared;
    private final Map<FunctionKey, DetectorSettings> cache = new ConcurrentHashMap<>();

    private DetectorConfig(Detectors registry, List<Loaded> detectors, long lateGraceMs) {
        this.registry = registry;
        this.detectors = detectors;
        this.lateGraceMs = lateGraceMs;
        boolean anyOverride = detectors.stream().anyMatch(d -> !d.overrides().isEmpty());
        this.shared = anyOverride ? null : build(new FunctionKey(null, null, null, null, "*"));
    }

    /** Loads {@code dir/<detector>.yaml} of the production detectors; with a null dir, the jar's copies. */
    public static DetectorConfig load(Path dir, long lateGraceMs) {
        return load(dir, lateGraceMs, Detectors.ALL);
    }

    /** Loads {@code dir/<detector>.yaml} of every detector of {@code registry}; with a null dir, the jar's. */
    public static DetectorConfig load(Path dir, long lateGraceMs, Detectors registry) {
        List<String> problems = new ArrayList<>();
        List<Loaded> detectors = new ArrayList<>();
        ObjectMapper yaml = Json.YAML;
        for (DetectorSpec<?, ?> spec : registry) {
            String where = (dir == null ? "built-in detectors/" : dir + "/") + spec.file() + ".yaml";
            try (InputStream in = open(dir, spec.file())) {
                if (in == null) {
                    problems.add(where + ": file not found");
                    continue;
                }
                Object root = yaml.readValue(in, Object.class);
                Loaded d = parse(spec, root, where, problems);
                if (d != null) {
                    detectors.add(d);
                }
            } catch (IOException e) {
                problems.add(where + ": not valid YAML: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        ConfigErrors.throwIfAny(problems);
        return new DetectorConfig(registry, detectors, lateGraceMs);
    }

    /** The detectors this configuration was loaded for. */
    public Detectors registry() {
        return registry;
    }

    private static InputStream open(Path dir, String name) throws IOException {
        if (dir == null) {
            return DetectorConfig.class.getResourceAsStream("/detectors/" + name + ".yaml");
        }
        Path file = dir.resolve(name + ".yaml");
        return Files.exists(file) ? Files.newInputStream(file) : null;
    }

    private static Loaded parse(DetectorSpec<?, ?> spec, Object root, String where, List<String> problems) {
        if (!(root instanceof Map<?, ?> top)) {
            problems.add(where + ": must be a mapping with enabled, defaults and overrides");
            return null;
        }
        String table = spec.table() == null ? null : spec.table().key();
        top.keySet().stream()
                .filter(k -> !TOP_KEYS.contains(String.valueOf(k)) && !k.equals(table))
                .forEach(k -> problems.add(where + ": unknown key '" + k + "' (allowed: " + TOP_KEYS
                        + (table == null ? "" : " and " + table) + ")"));
        Object enabled = top.containsKey("enabled") ? top.get("enabled") : Boolean.TRUE;
        if (!(enabled instanceof Boolean)) {
            problems.add(where + ": enabled must be true or false");
        }
        Map<String, Object> defaults = values(spec, top.get("defaults"), where + " defaults", true, problems);
        spec.check().check(new DetectorSpec.Values(defaults), where + " defaults", problems);
        if (table != null) {
            defaults.put(table, spec.table().reader().read(top.get(table), where + " " + table, problems));
        }
        List<Override> overrides = new ArrayList<>();
        Object raw = top.get("overrides");
        if (raw != null && !(raw instanceof List<?>)) {
            problems.add(where + ": overrides must be a list");
        } else if (raw != null) {
            int i = 0;
            for (Object o : (List<?>) raw) {
                Override parsed = override(spec, o, where + " overrides[" + i++ + "]", problems);
                if (parsed != null) {
                    overrides.add(parsed);
                }
            }
        }
        return new Loaded(spec, Boolean.TRUE.equals(enabled), defaults, overrides);
    }

    private static Override override(DetectorSpec<?, ?> spec, Object o, String where, List<String> problems) {
        if (!(o instanceof Map<?, ?> m) || !(m.get("match") instanceof Map<?, ?> match)) {
            problems.add(where + ": needs 'match' (tenant/function globs) and 'set'");
            return null;
        }
        m.keySet().stream()
                .filter(k -> !"match".equals(k) && !"set".equals(k))
                .forEach(k -> problems.add(where + ": unknown key '" + k + "' (allowed: match, set)"));
        match.keySet().stream()
                .filter(k -> !MATCH_KEYS.contains(String.valueOf(k)))
                .forEach(k -> problems.add(where + ": unknown match key '" + k + "' (allowed: tenant, function)"));
        Map<String, Object> values = values(spec, m.get("set"), where + " set", false, problems);
        return new Override(glob(match.get("tenant")), glob(match.get("function")), values);
    }

    private static Map<String, Object> values(
            DetectorSpec<?, ?> spec, Object raw, String where, boolean complete, List<String> problems) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!(raw instanceof Map<?, ?> m)) {
            problems.add(where + ": must be a mapping of settings");
            return out;
        }
        Map<String, Param> byName = new LinkedHashMap<>();
        spec.params().forEach(p -> byName.put(p.name(), p));
        m.forEach((k, v) -> {
            Param p = byName.get(String.valueOf(k));
            if (p == null) {
                problems.add(where + ": unknown setting '" + k + "' (known: " + byName.keySet() + ")");
            } else {
                Object parsed = p.parse(v, where, problems);
                if (parsed != null) {
                    out.put(p.name(), parsed);
                }
            }
        });
        if (complete) {
            byName.keySet().stream()
                    .filter(k -> !m.containsKey(k))
                    .forEach(k -> problems.add(where + ": missing setting '" + k + "'"));
        }
        return out;
    }

    private static Pattern glob(Object g) {
        String s = g == null ? "*" : String.valueOf(g);
        StringBuilder re = new StringBuilder();
        for (char c : s.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }

    /** The settings that apply to {@code key}: defaults with every matching override, in file order. */
    public DetectorSettings forFunction(FunctionKey key) {
        if (shared != null) {
            return shared;
        }
        if (cache.size() > CACHE_LIMIT) {
            cache.clear();
        }
        return cache.computeIfAbsent(key, this::build);
    }

    private DetectorSettings build(FunctionKey key) {
        Object[] settings = new Object[detectors.size()];
        for (int i = 0; i < settings.length; i++) {
            settings[i] = detectors.get(i).resolve(key);
        }
        return new DetectorSettings(registry, lateGraceMs, settings);
    }

    /**
     * This configuration with one more override of detector {@code file} for the functions matching
     * {@code functionGlob} (any tenant), after those of its file: for benches and tests that set per-function
     * values (a fleet's reserved concurrencies) without writing YAML. Values are checked as in a file.
     */
    public DetectorConfig withOverride(String file, String functionGlob, Map<String, Object> set) {
        List<String> problems = new ArrayList<>();
        List<Loaded> out = new ArrayList<>();
        for (Loaded d : detectors) {
            if (d.spec().file().equals(file)) {
                List<Override> overrides = new ArrayList<>(d.overrides());
                overrides.add(new Override(
                        glob("*"), glob(functionGlob), values(d.spec(), set, file + " override", false, problems)));
                out.add(new Loaded(d.spec(), d.enabled(), d.defaults(), overrides));
            } else {
                out.add(d);
            }
        }
        ConfigErrors.throwIfAny(problems);
        return new DetectorConfig(registry, out, lateGraceMs);
    }
}
