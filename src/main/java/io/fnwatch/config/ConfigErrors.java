package io.fnwatch.config;

import java.util.List;

/** Every problem found in a configuration, reported together; the CLI prints them and exits 2. */
public final class ConfigErrors extends RuntimeException {

    private final List<String> problems;

    public ConfigErrors(List<String> problems) {
        super(problems.size() + " configuration problem(s):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    public static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new ConfigErrors(problems);
        }
    }
}
