package io.fnwatch.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A secret of a routes file (a Slack webhook URL, a PagerDuty routing key, a signing secret), read from an
 * environment variable ({@code {env: NAME}}) or a file ({@code {file: PATH}}, trailing newline removed), never
 * written in the routes file itself. {@link #toString()} and {@link #describe()} never show the value.
 */
public final class Secret {

    public static final String HIDDEN = "[hidden]";

    private final String value;
    private final String source;

    private Secret(String value, String source) {
        this.value = value;
        this.source = source;
    }

    /** For tests and the synthetic route of {@code notify test}. */
    public static Secret of(String value, String source) {
        return new Secret(value, source);
    }

    /**
     * Reads {@code raw} ({@code {env: NAME}} or {@code {file: PATH}}); adds a problem naming {@code where} and
     * returns null when it is anything else, or the variable or file is missing or empty.
     */
    static Secret read(Object raw, String where, Map<String, String> env, List<String> problems) {
        if (!(raw instanceof Map<?, ?> m) || m.size() != 1 || !(m.containsKey("env") || m.containsKey("file"))) {
            problems.add(where + ": must be {env: VARIABLE} or {file: PATH} (secrets are never written in the"
                    + " routes file)");
            return null;
        }
        Object name = m.containsKey("env") ? m.get("env") : m.get("file");
        if (!(name instanceof String s) || s.isBlank()) {
            problems.add(where + ": needs a variable name or a path");
            return null;
        }
        if (m.containsKey("env")) {
            String v = env.get(s);
            if (v == null || v.isBlank()) {
                problems.add(where + ": environment variable " + s + " is not set");
                return null;
            }
            return new Secret(v.strip(), "env " + s);
        }
        try {
            String v = Files.readString(Path.of(s), StandardCharsets.UTF_8).strip();
            if (v.isEmpty()) {
                problems.add(where + ": file " + s + " is empty");
                return null;
            }
            return new Secret(v, "file " + s);
        } catch (IOException | RuntimeException e) {
            problems.add(where + ": cannot read file " + s + " (" + e.getClass().getSimpleName() + ")");
            return null;
        }
    }

    public String value() {
        return value;
    }

    /** Where the value came from, never the value: {@code [hidden] (env NAME)}. */
    public String describe() {
        return HIDDEN + " (" + source + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
