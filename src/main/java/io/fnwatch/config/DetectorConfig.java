package io.fnwatch.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fnwatch.detect.DenialBurstModel;
import io.fnwatch.detect.DetectorSettings;
import io.fnwatch.detect.DurationModel;
import io.fnwatch.detect.SecretLeakModel;
import io.fnwatch.detect.StaleFunctionModel;
import io.fnwatch.detect.TrafficSpikeModel;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.serde.Json;
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
 * The detector settings of {@code detectors/*.yaml}: per detector {@code enabled}, {@code defaults} (every
 * setting) and {@code overrides} ({@code match} of tenant/function globs, then {@code set}). Loading checks
 * everything and reports every problem at once; {@link #forFunction} resolves one function's settings.
 */
public final class DetectorConfig {

    private static final Set<String> TOP_KEYS = Set.of("enabled", "defaults", "overrides");
    private static final Set<String> MATCH_KEYS = Set.of("tenant", "function");
    private static final int CACHE_LIMIT = 100_000;

    private record Override(Pattern tenant, Pattern function, Map<String, Object> values) {
        boolean matches(FunctionKey k) {
            return tenant.matcher(k.tenant()).matches() && function.matcher(k.function()).matches();
        }
    }

    private record Detector(DetectorCatalog.Spec spec, boolean enabled, Map<String, Object> defaults,
            List<Override> overrides) {
        Object resolve(FunctionKey key) {
            if (!enabled) {
                return null;
            }
            Map<String, Object> v = new HashMap<>(defaults);
            overrides.stream().filter(o -> o.matches(key)).forEach(o -> v.putAll(o.values()));
            return spec.build().apply(v);
        }
    }

    private final List<Detector> detectors;
    private final long lateGraceMs;
    private final DetectorSettings shared;
    private final Map<FunctionKey, DetectorSettings> cache = new ConcurrentHashMap<>();

    private DetectorConfig(List<Detector> detectors, long lateGraceMs) {
        this.detectors = detectors;
        this.lateGraceMs = lateGraceMs;
        boolean anyOverride = detectors.stream().anyMatch(d -> !d.overrides().isEmpty());
        this.shared = anyOverride ? null : build(new FunctionKey(null, null, null, null, "*"));
    }

    /** Loads {@code dir/<detector>.yaml}; with a null dir, the copies built into the jar. */
    public static DetectorConfig load(Path dir, long lateGraceMs) {
        List<String> problems = new ArrayList<>();
        List<Detector> detectors = new ArrayList<>();
        ObjectMapper yaml = Json.YAML;
        for (DetectorCatalog.Spec spec : DetectorCatalog.ALL) {
            String where = (dir == null ? "built-in detectors/" : dir + "/") + spec.file() + ".yaml";
            try (InputStream in = open(dir, spec.file())) {
                if (in == null) {
                    problems.add(where + ": file not found");
                    continue;
                }
                Object root = yaml.readValue(in, Object.class);
                Detector d = parse(spec, root, where, problems);
                if (d != null) {
                    detectors.add(d);
                }
            } catch (IOException e) {
                problems.add(where + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        ConfigErrors.throwIfAny(problems);
        return new DetectorConfig(detectors, lateGraceMs);
    }

    private static InputStream open(Path dir, String name) throws IOException {
        if (dir == null) {
            return DetectorConfig.class.getResourceAsStream("/detectors/" + name + ".yaml");
        }
        Path file = dir.resolve(name + ".yaml");
        return Files.exists(file) ? Files.newInputStream(file) : null;
    }

    private static Detector parse(DetectorCatalog.Spec spec, Object root, String where, List<String> problems) {
        if (!(root instanceof Map<?, ?> top)) {
            problems.add(where + ": must be a mapping with enabled, defaults and overrides");
            return null;
        }
        top.keySet().stream().filter(k -> !TOP_KEYS.contains(String.valueOf(k)) && !k.equals(spec.dateTable()))
                .forEach(k -> problems.add(where + ": unknown key '" + k + "' (allowed: " + TOP_KEYS
                        + (spec.dateTable() == null ? "" : " and " + spec.dateTable()) + ")"));
        Object enabled = top.containsKey("enabled") ? top.get("enabled") : Boolean.TRUE;
        if (!(enabled instanceof Boolean)) {
            problems.add(where + ": enabled must be true or false");
        }
        Map<String, Object> defaults = values(spec, top.get("defaults"), where + " defaults", true, problems);
        if (defaults.get("confirmBuckets") instanceof Number m && defaults.get("confirmWindow") instanceof Number n
                && m.intValue() > n.intValue()) {
            problems.add(where + " defaults: confirmBuckets (" + m.intValue() + ") exceeds confirmWindow ("
                    + n.intValue() + "): an incident could never open");
        }
        if (spec.dateTable() != null) {
            defaults.put(spec.dateTable(), dates(top.get(spec.dateTable()), where + " " + spec.dateTable(), problems));
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
        return new Detector(spec, Boolean.TRUE.equals(enabled), defaults, overrides);
    }

    private static Override override(DetectorCatalog.Spec spec, Object o, String where, List<String> problems) {
        if (!(o instanceof Map<?, ?> m) || !(m.get("match") instanceof Map<?, ?> match)) {
            problems.add(where + ": needs 'match' (tenant/function globs) and 'set'");
            return null;
        }
        m.keySet().stream().filter(k -> !"match".equals(k) && !"set".equals(k))
                .forEach(k -> problems.add(where + ": unknown key '" + k + "' (allowed: match, set)"));
        match.keySet().stream().filter(k -> !MATCH_KEYS.contains(String.valueOf(k)))
                .forEach(k -> problems.add(where + ": unknown match key '" + k + "' (allowed: tenant, function)"));
        Map<String, Object> values = values(spec, m.get("set"), where + " set", false, problems);
        return new Override(glob(match.get("tenant")), glob(match.get("function")), values);
    }

    private static Map<String, Object> values(DetectorCatalog.Spec spec, Object raw, String where,
            boolean complete, List<String> problems) {
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
            byName.keySet().stream().filter(k -> !m.containsKey(k))
                    .forEach(k -> problems.add(where + ": missing setting '" + k + "'"));
        }
        return out;
    }

    /** A mapping of names to ISO dates (midnight UTC), e.g. {@code aws:python3.9: 2025-12-15}. */
    private static Map<String, Long> dates(Object raw, String where, List<String> problems) {
        Map<String, Long> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            problems.add(where + ": must be a mapping of names to dates (YYYY-MM-DD)");
            return out;
        }
        m.forEach((k, v) -> {
            try {
                out.put(String.valueOf(k), java.time.LocalDate.parse(String.valueOf(v))
                        .atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli());
            } catch (java.time.format.DateTimeParseException e) {
                problems.add(where + ": " + k + " = '" + v + "' is not a date (YYYY-MM-DD)");
            }
        });
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
        return new DetectorSettings(lateGraceMs,
                (TrafficSpikeModel.Settings) detectors.get(0).resolve(key),
                (DurationModel.Settings) detectors.get(1).resolve(key),
                (DenialBurstModel.Settings) detectors.get(2).resolve(key),
                (StaleFunctionModel.Settings) detectors.get(3).resolve(key),
                (SecretLeakModel.Settings) detectors.get(4).resolve(key));
    }
}
