package io.fnwatch.bench;

import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.Rejection;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Runs {@link AdversarialCorpus} through {@link LogParser}, one record at a time on this thread, and reports per
 * class the worst CPU time per KiB of input and the worst heap one record costs: bytes allocated while it is
 * parsed (an upper bound of its transient peak, reported) and heap still live after a full GC while its result is
 * held (the growth the goal is checked on: what a record leaves on the heap until the topology forwards it).
 * Goals: at most {@value #GOAL_CPU_MS_PER_KIB} ms of CPU per KiB (records under 1 KiB count as 1 KiB) and
 * {@value #GOAL_HEAP_MIB} MiB of heap growth.
 */
public final class AdversarialBench {

    public static final double GOAL_CPU_MS_PER_KIB = 2.0;
    public static final int GOAL_HEAP_MIB = 64;
    private static final double MIB = 1 << 20;
    /** A record that takes longer than this is measured once: compiling is a small part of such a cost. */
    private static final long WARM_ENOUGH_NANOS = 500_000_000L;

    private final ParserSettings settings;

    public AdversarialBench(ParserSettings settings) {
        this.settings = settings;
    }

    public Map<String, Object> run(long seed, PrintStream out) {
        LogParser parser = new LogParser(settings);
        Map<String, Object> classes = new LinkedHashMap<>();
        double worstCpu = 0;
        double worstHeap = 0;
        double worstAlloc = 0;
        out.printf(
                "%-18s %6s %9s %10s %10s %9s  %s%n",
                "class", "inputs", "max KiB", "ms/KiB", "alloc MiB", "live MiB", "outcomes");
        for (Map.Entry<String, List<Supplier<byte[]>>> c :
                AdversarialCorpus.classes(seed).entrySet()) {
            double cpu = 0;
            double alloc = 0;
            double live = 0;
            double maxKib = 0;
            Map<String, Integer> outcomes = new TreeMap<>();
            for (Supplier<byte[]> make : c.getValue()) {
                byte[] input = make.get();
                RecordCost<ParseResult> cost = RecordCost.of(() -> parser.parse(input), true);
                if (cost.cpuNanos() < WARM_ENOUGH_NANOS) {
                    // a fast first run may still be paying for JIT compilation: the warm second run counts
                    cost = RecordCost.of(() -> parser.parse(input), true);
                }
                maxKib = Math.max(maxKib, input.length / 1024.0);
                double kib = Math.max(input.length, 1024) / 1024.0; // a record's fixed cost is charged to 1 KiB
                cpu = Math.max(cpu, cost.cpuNanos() / 1e6 / kib);
                alloc = Math.max(alloc, cost.allocatedBytes() / MIB);
                live = Math.max(live, cost.retainedBytes() / MIB);
                outcomes.merge(outcome(cost.result()), 1, Integer::sum);
            }
            out.printf(
                    "%-18s %6d %9.1f %10.4f %10.1f %9.1f  %s%n",
                    c.getKey(), c.getValue().size(), maxKib, cpu, alloc, live, outcomes);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("inputs", c.getValue().size());
            row.put("maxInputKiB", round(maxKib));
            row.put("worstCpuMsPerKiB", round(cpu));
            row.put("worstAllocatedMiB", round(alloc));
            row.put("worstLiveMiB", round(live));
            row.put("outcomes", outcomes);
            row.put("met", cpu <= GOAL_CPU_MS_PER_KIB && live <= GOAL_HEAP_MIB);
            classes.put(c.getKey(), row);
            worstCpu = Math.max(worstCpu, cpu);
            worstHeap = Math.max(worstHeap, live);
            worstAlloc = Math.max(worstAlloc, alloc);
        }
        boolean met = worstCpu <= GOAL_CPU_MS_PER_KIB && worstHeap <= GOAL_HEAP_MIB;
        out.printf(
                "worst: %.4f ms CPU per KiB (goal <= %.1f), %.1f MiB allocated and %.1f MiB live for one record "
                        + "(goal <= %d): %s%n",
                worstCpu, GOAL_CPU_MS_PER_KIB, worstAlloc, worstHeap, GOAL_HEAP_MIB, met ? "met" : "NOT met");
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("seed", seed);
        results.put("classes", classes);
        results.put("worstCpuMsPerKiB", round(worstCpu));
        results.put("worstAllocatedMiB", round(worstAlloc));
        results.put("worstLiveMiB", round(worstHeap));
        results.put("goals", Map.of("cpuMsPerKiB", GOAL_CPU_MS_PER_KIB, "heapMiB", GOAL_HEAP_MIB));
        results.put("met", met);
        return results;
    }

    /** "12 events", "TOO_LARGE", "3 events + BAD_FIELD": what the record became. */
    private static String outcome(ParseResult r) {
        Map<String, Integer> reasons = new TreeMap<>();
        for (Rejection x : r.rejections()) {
            reasons.merge(x.reason().name(), 1, Integer::sum);
        }
        String rejected = reasons.isEmpty()
                ? ""
                : reasons.size() == 1 && r.rejections().size() == 1
                        ? reasons.keySet().iterator().next()
                        : reasons.toString();
        String events = r.events().isEmpty() ? "" : r.events().size() > 1 ? "events" : "1 event";
        return events.isEmpty() ? rejected : rejected.isEmpty() ? events : events + " + " + rejected;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
