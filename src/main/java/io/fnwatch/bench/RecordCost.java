package io.fnwatch.bench;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * What one call costs the thread that makes it: CPU time and bytes allocated (the JVM's per-thread counters,
 * so other threads' work does not count), and the heap still live afterwards while its result is held.
 */
public record RecordCost<T>(T result, long cpuNanos, long allocatedBytes, long retainedBytes) {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Measures {@code work}; with {@code retained}, also the live heap it leaves (two full GCs: slow). */
    public static <T> RecordCost<T> of(Supplier<T> work, boolean retained) {
        long before = retained ? liveHeap() : 0;
        long id = Thread.currentThread().getId();
        long alloc = THREADS.getThreadAllocatedBytes(id);
        long cpu = THREADS.getCurrentThreadCpuTime();
        T result = work.get();
        long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpu;
        long allocated = THREADS.getThreadAllocatedBytes(id) - alloc;
        long kept = retained ? Math.max(0, liveHeap() - before) : 0;
        return new RecordCost<>(result, cpuNanos, allocated, kept);
    }

    /** Heap in use after a full collection. */
    private static long liveHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
