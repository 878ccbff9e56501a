package io.fnwatch.notify;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.detect.Param;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.Json;
import io.fnwatch.model.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the routes file ({@code notify.routes.file}): {@code sinks} by name, {@code routes} in order, and an
 * optional {@code consoleUrl}. Like the detector files, every unknown key and bad value is reported at once
 * ({@link ConfigErrors}, exit 2). Secrets are read here, from the environment or files, and never echoed in a
 * problem.
 */
public final class RoutesFile {

    static final Set<String> TOP_KEYS = Set.of("sinks", "routes", "consoleUrl");
    static final Set<String> ROUTE_KEYS = Set.of("name", "match", "sinks", "rateLimit");
    static final Set<String> MATCH_KEYS = Set.of("tenant", "function", "type", "minSeverity", "state");
    static final Map<String, Set<String>> SINK_KEYS = Map.of(
            "slack", Set.of("type", "url"),
            "pagerduty", Set.of("type", "routingKey", "url"),
            "alertmanager", Set.of("type", "url", "labels", "resendEvery"),
            "webhook", Set.of("type", "url", "secrets"));
    static final int MAX_RATE = 10_000;
    static final Duration MIN_RESEND = Duration.ofSeconds(10);
    static final Duration MAX_RESEND = Duration.ofHours(1);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> FNWATCH_LABELS =
            Set.of("alertname", "fnwatch_id", "tenant", "provider", "account", "region", "function");

    /** An alert to check the console URL template with. */
    private static final io.fnwatch.model.Alert SAMPLE = new io.fnwatch.model.Alert(
            "0",
            AlertType.TRAFFIC_SPIKE,
            io.fnwatch.model.AlertState.OPEN,
            "t",
            "aws",
            "1",
            "r",
            "f",
            null,
            null,
            null,
            Severity.LOW,
            0,
            0,
            0,
            0,
            "",
            Map.of());

    private RoutesFile() {}

    /**
     * The routes of {@code notify.routes.file}, secrets from the process environment; null when the setting
     * is empty (no delivery).
     */
    public static Routes of(io.fnwatch.config.FnwatchConfig c) {
        String file = c.string(io.fnwatch.config.NotifySettings.ROUTES_FILE);
        return file.isEmpty() ? null : load(Path.of(file), System.getenv());
    }

    public static Routes load(Path file, Map<String, String> env) {
        String where = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            return parse(Json.YAML.readValue(in, Object.class), where, env);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException
                    ? "file not found"
                    : "not valid YAML: "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new ConfigErrors(List.of(where + ": " + why));
        }
    }

    /** Checks a parsed document; throws {@link ConfigErrors} listing every problem. */
    public static Routes parse(Object root, String where, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        if (!(root instanceof Map<?, ?> top)) {
            throw new ConfigErrors(List.of(where + ": must be a mapping with sinks and routes"));
        }
        unknownKeys(top, TOP_KEYS, where, problems);
        String console = null;
        if (top.get("consoleUrl") != null) {
            console = String.valueOf(top.get("consoleUrl"));
            // the placeholders are not URL characters: check the URL they make
            httpUrl(Texts.consoleUrl(console, SAMPLE), where + " consoleUrl", problems);
        }
        Map<String, Sink> sinks = new LinkedHashMap<>();
        if (!(top.get("sinks") instanceof Map<?, ?> rawSinks) || rawSinks.isEmpty()) {
            problems.add(where + ": sinks must be a mapping of sink names to sinks");
        } else {
            for (var e : rawSinks.entrySet()) {
                String name = String.valueOf(e.getKey());
                String at = where + " sinks." + name;
                if (!NAME.matcher(name).matches()) {
                    problems.add(at + ": a sink name is 1-64 of A-Z a-z 0-9 _ . -");
                }
                Sink s = sink(name, e.getValue(), at, console, env, problems);
                if (s != null) {
                    sinks.put(name, s);
                }
            }
        }
        Set<String> declared = top.get("sinks") instanceof Map<?, ?> m
                ? m.keySet().stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet())
                : Set.of();
        List<Route> routes = new ArrayList<>();
        if (!(top.get("routes") instanceof List<?> rawRoutes) || rawRoutes.isEmpty()) {
            problems.add(where + ": routes must be a list of at least one route");
        } else {
            Set<String> names = new HashSet<>();
            int i = 0;
            for (Object o : rawRoutes) {
                Route r = route(o, where + " routes[" + i++ + "]", declared, top.get("sinks"), problems);
                if (r != null && !names.add(r.name())) {
                    problems.add(where + " routes: route name '" + r.name() + "' is used twice");
                }
                if (r != null) {
                    routes.add(r);
                }
            }
        }
        ConfigErrors.throwIfAny(problems);
        return new Routes(sinks, routes);
    }

    private static Sink sink(
            String name, Object raw, String at, String console, Map<String, String> env, List<String> problems) {
        if (!(raw instanceof Map<?, ?> m)) {
            problems.add(at + ": must be a mapping with a type (" + String.join(", ", sinkTypes()) + ")");
            return null;
        }
        String type = String.valueOf(m.get("type"));
        Set<String> keys = SINK_KEYS.get(type);
        if (keys == null) {
            problems.add(at + ": type must be one of " + sinkTypes() + ", not '" + m.get("type") + "'");
            return null;
        }
        unknownKeys(m, keys, at, problems);
        int before = problems.size();
        switch (type) {
            case "slack" -> {
                Secret url = Secret.read(m.get("url"), at + " url", env, problems);
                if (url != null) {
                    httpUrl(url.value(), at + " url (from " + url.describe() + ")", problems, false);
                }
                return problems.size() > before ? null : new SlackSink(name, url, console);
            }
            case "pagerduty" -> {
                Secret key = Secret.read(m.get("routingKey"), at + " routingKey", env, problems);
                URI url = m.get("url") == null ? null : httpUrl(String.valueOf(m.get("url")), at + " url", problems);
                return problems.size() > before ? null : new PagerDutySink(name, url, key, console);
            }
            case "alertmanager" -> {
                URI url = required(m, "url", at, problems)
                        ? httpUrl(String.valueOf(m.get("url")), at + " url", problems)
                        : null;
                Map<String, String> labels = labels(m.get("labels"), at + " labels", problems);
                Duration resend = duration(
                        m.get("resendEvery"),
                        Duration.ofMinutes(1),
                        MIN_RESEND,
                        MAX_RESEND,
                        at + " resendEvery",
                        problems);
                return problems.size() > before ? null : new AlertmanagerSink(name, url, labels, resend, console);
            }
            default -> {
                URI url = required(m, "url", at, problems)
                        ? httpUrl(String.valueOf(m.get("url")), at + " url", problems)
                        : null;
                List<Secret> secrets = new ArrayList<>();
                if (!(m.get("secrets") instanceof List<?> raws) || raws.isEmpty() || raws.size() > 2) {
                    problems.add(at + " secrets: must list one or two signing secrets (two while rotating)");
                } else {
                    for (int i = 0; i < raws.size(); i++) {
                        Secret s = Secret.read(raws.get(i), at + " secrets[" + i + "]", env, problems);
                        if (s != null) {
                            try {
                                StandardWebhooks.key(s.value());
                                secrets.add(s);
                            } catch (IllegalArgumentException e) {
                                problems.add(at + " secrets[" + i + "] (" + s.describe() + "): " + e.getMessage());
                            }
                        }
                    }
                }
                return problems.size() > before ? null : new WebhookSink(name, url, secrets);
            }
        }
    }

    private static Route route(Object raw, String at, Set<String> declared, Object rawSinks, List<String> problems) {
        if (!(raw instanceof Map<?, ?> m)) {
            problems.add(at + ": must be a mapping with name, match, sinks and optionally rateLimit");
            return null;
        }
        unknownKeys(m, ROUTE_KEYS, at, problems);
        int before = problems.size();
        String name = String.valueOf(m.get("name"));
        if (m.get("name") == null || !NAME.matcher(name).matches()) {
            problems.add(at + " name: required, 1-64 of A-Z a-z 0-9 _ . -");
        }
        Object match = m.get("match") == null ? Map.of() : m.get("match");
        String tenant = "*";
        String function = "*";
        Set<AlertType> types = EnumSet.noneOf(AlertType.class);
        Severity minSeverity = Severity.LOW;
        Set<Notice.Kind> states = EnumSet.of(Notice.Kind.OPEN, Notice.Kind.UPDATE, Notice.Kind.RESOLVED);
        if (!(match instanceof Map<?, ?> mm)) {
            problems.add(at + " match: must be a mapping of " + MATCH_KEYS);
        } else {
            unknownKeys(mm, MATCH_KEYS, at + " match", problems);
            tenant = mm.get("tenant") == null ? "*" : String.valueOf(mm.get("tenant"));
            function = mm.get("function") == null ? "*" : String.valueOf(mm.get("function"));
            for (String t : strings(mm.get("type"), at + " match.type", problems)) {
                try {
                    types.add(AlertType.valueOf(t));
                } catch (IllegalArgumentException e) {
                    problems.add(at + " match.type: unknown alert type '" + t + "' (known: "
                            + Arrays.toString(AlertType.values()) + ")");
                }
            }
            if (mm.get("minSeverity") != null) {
                try {
                    minSeverity = Severity.valueOf(String.valueOf(mm.get("minSeverity")));
                } catch (IllegalArgumentException e) {
                    problems.add(at + " match.minSeverity: must be one of " + Arrays.toString(Severity.values())
                            + ", not '" + mm.get("minSeverity") + "'");
                }
            }
            if (mm.get("state") != null) {
                states = EnumSet.noneOf(Notice.Kind.class);
                for (String s : strings(mm.get("state"), at + " match.state", problems)) {
                    if (Set.of("OPEN", "UPDATE", "RESOLVED").contains(s)) {
                        states.add(Notice.Kind.valueOf(s));
                    } else {
                        problems.add(at + " match.state: must be OPEN, UPDATE or RESOLVED, not '" + s + "'");
                    }
                }
            }
        }
        List<String> sinks = strings(m.get("sinks"), at + " sinks", problems);
        if (sinks.isEmpty() && m.get("sinks") == null) {
            problems.add(at + " sinks: required, one sink name or a list of them");
        }
        for (String s : sinks) {
            if (!declared.contains(s)) {
                problems.add(at + " sinks: no sink named '" + s + "' (declared: " + declared + ")");
            }
        }
        int rate = 0;
        if (m.get("rateLimit") != null) {
            if (!(m.get("rateLimit") instanceof Integer r) || r < 1 || r > MAX_RATE) {
                problems.add(at + " rateLimit: messages a minute, a whole number from 1 to " + MAX_RATE + ", not '"
                        + m.get("rateLimit") + "'");
            } else {
                rate = r;
                for (String s : sinks) {
                    if (rawSinks instanceof Map<?, ?> all
                            && all.get(s) instanceof Map<?, ?> def
                            && "pagerduty".equals(String.valueOf(def.get("type")))) {
                        problems.add(at + " rateLimit: not for a route to PagerDuty sink '" + s + "' (PagerDuty"
                                + " groups alerts itself, and a digest incident would never resolve)");
                    }
                }
            }
        }
        return problems.size() > before
                ? null
                : new Route(name, tenant, function, types, minSeverity, states, sinks, rate);
    }

    private static List<String> strings(Object raw, String at, List<String> problems) {
        if (raw == null) {
            return List.of();
        }
        List<?> list = raw instanceof List<?> l ? l : List.of(raw);
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof String s && !s.isBlank()) {
                out.add(s.strip());
            } else {
                problems.add(at + ": must be a name or a list of names, not '" + o + "'");
            }
        }
        return out;
    }

    private static Map<String, String> labels(Object raw, String at, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            problems.add(at + ": must be a mapping of label names to values");
            return out;
        }
        m.forEach((k, v) -> {
            String name = String.valueOf(k);
            if (!LABEL.matcher(name).matches()) {
                problems.add(at + ": '" + name + "' is not a Prometheus label name ([A-Za-z_][A-Za-z0-9_]*)");
            } else if (FNWATCH_LABELS.contains(name)) {
                problems.add(at + ": '" + name + "' is set by fnwatch (" + FNWATCH_LABELS + ")");
            } else if (v == null || v instanceof Map || v instanceof List) {
                problems.add(at + "." + name + ": must be a plain value");
            } else {
                out.put(name, String.valueOf(v));
            }
        });
        return out;
    }

    private static Duration duration(
            Object raw, Duration dflt, Duration min, Duration max, String at, List<String> problems) {
        if (raw == null) {
            return dflt;
        }
        try {
            Duration d = Duration.ofMillis(Param.parseDuration(String.valueOf(raw)));
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problems.add(at + ": must be from " + min + " to " + max + ", not " + raw);
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(at + ": '" + raw + "' " + e.getMessage());
            return dflt;
        }
    }

    private static boolean required(Map<?, ?> m, String key, String at, List<String> problems) {
        if (m.get(key) == null) {
            problems.add(at + ": missing '" + key + "'");
            return false;
        }
        return true;
    }

    private static URI httpUrl(String s, String at, List<String> problems) {
        return httpUrl(s, at, problems, true);
    }

    /** An absolute http(s) URL; {@code echo}: the value may appear in the problem (false for a secret URL). */
    private static URI httpUrl(String s, String at, List<String> problems, boolean echo) {
        try {
            URI u = new URI(s);
            if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                problems.add(at + ": must be an absolute http or https URL" + (echo ? ", not '" + s + "'" : ""));
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            problems.add(at + ": not a URL" + (echo ? " ('" + s + "')" : ""));
            return null;
        }
    }

    private static void unknownKeys(Map<?, ?> m, Set<String> allowed, String at, List<String> problems) {
        m.keySet().stream()
                .map(String::valueOf)
                .filter(k -> !allowed.contains(k))
                .sorted()
                .forEach(k -> problems.add(
                        at + ": unknown key '" + k + "' (allowed: " + new java.util.TreeSet<>(allowed) + ")"));
    }

    private static List<String> sinkTypes() {
        return new ArrayList<>(new java.util.TreeSet<>(SINK_KEYS.keySet()));
    }
}
