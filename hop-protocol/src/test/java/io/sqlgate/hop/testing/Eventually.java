package io.sqlgate.hop.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, polling: the way tests wait for background work, never a bare sleep. */
public final class Eventually {
    private Eventually() {
    }

    /** @return how long the condition took to hold */
    public static Duration await(Duration timeout, String what, BooleanSupplier condition) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for: " + what, e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
