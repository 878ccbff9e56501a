package io.fnwatch.service;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition, checking it often, and fails with a description when the deadline passes. */
final class Await {

    private Await() {}

    interface Check {
        boolean holds() throws Exception;
    }

    static void until(String what, Duration timeout, Check condition) throws Exception {
        until(what, timeout, condition, () -> "");
    }

    static void until(String what, Duration timeout, Check condition, Supplier<String> context) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "\n" + context.get());
            }
            Thread.onSpinWait();
            Thread.sleep(20); // polling interval of a condition wait, not a guess at how long something takes
        }
    }

    /** Like {@link #until} but returns false instead of failing: for best-effort waits with a fallback. */
    static boolean within(Duration timeout, Check condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
