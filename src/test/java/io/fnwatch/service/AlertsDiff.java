package io.fnwatch.service;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a run's alerts with a reference run's. An alert is its exact JSON (id, state, figures, evidence):
 * <ul>
 *   <li>lost — reference alerts the run has fewer copies of;</li>
 *   <li>duplicated — alerts the run has more copies of than the reference (a crash made it emit twice);</li>
 *   <li>unexpected — alerts the reference never emitted (a crash changed what was computed);</li>
 *   <li>identical — every function's alerts are the same JSON in the same order.</li>
 * </ul>
 */
record AlertsDiff(int expected, int actual, int lost, int duplicated, int unexpected, boolean identical) {

    static AlertsDiff of(Map<String, List<String>> reference, Map<String, List<String>> run) {
        Map<String, Integer> ref = counts(reference);
        Map<String, Integer> got = counts(run);
        int lost = 0;
        int duplicated = 0;
        int unexpected = 0;
        Set<String> all = new HashSet<>(ref.keySet());
        all.addAll(got.keySet());
        for (String json : all) {
            int r = ref.getOrDefault(json, 0);
            int g = got.getOrDefault(json, 0);
            lost += Math.max(0, r - g);
            if (r > 0) {
                duplicated += Math.max(0, g - r);
            } else {
                unexpected += g;
            }
        }
        return new AlertsDiff(sum(ref), sum(got), lost, duplicated, unexpected, reference.equals(run));
    }

    /**
     * The alerts behind a non-identical diff, for the failure message: each function whose alerts differ, with
     * the reference's and the run's alerts that are not in the other (at most {@code limit} functions).
     */
    static String differences(Map<String, List<String>> reference, Map<String, List<String>> run, int limit) {
        StringBuilder out = new StringBuilder();
        Set<String> functions = new java.util.TreeSet<>(reference.keySet());
        functions.addAll(run.keySet());
        int shown = 0;
        for (String f : functions) {
            List<String> ref = reference.getOrDefault(f, List.of());
            List<String> got = run.getOrDefault(f, List.of());
            if (ref.equals(got) || shown++ >= limit) {
                continue;
            }
            out.append("\n").append(f).append(':');
            ref.stream()
                    .filter(a -> !got.contains(a))
                    .forEach(a -> out.append("\n  reference only: ").append(a));
            got.stream()
                    .filter(a -> !ref.contains(a))
                    .forEach(a -> out.append("\n  run only:       ").append(a));
            if (ref.size() == got.size() && new HashSet<>(ref).equals(new HashSet<>(got))) {
                out.append("\n  same alerts in another order");
            }
        }
        return out.toString();
    }

    private static Map<String, Integer> counts(Map<String, List<String>> byFunction) {
        Map<String, Integer> out = new HashMap<>();
        byFunction.values().forEach(list -> list.forEach(json -> out.merge(json, 1, Integer::sum)));
        return out;
    }

    private static int sum(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
