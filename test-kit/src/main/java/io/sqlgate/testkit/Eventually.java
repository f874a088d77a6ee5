package io.sqlgate.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline, polling: the way tests wait for background work, never a bare sleep. A
 * condition that throws has not held yet: it is tried again, and the last failure is reported at the deadline.
 */
public final class Eventually {
    private Eventually() {
    }

    /** @return how long the condition took to hold */
    public static Duration await(Duration timeout, String what, BooleanSupplier condition) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for: " + what
                        + (last == null ? "" : " (last attempt: " + last + ")"), last);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for: " + what, e);
            }
        }
    }
}
