package io.sqlgate.testkit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The one way the tests, the benchmark and the reliability runs wait for state: Awaitility, polling every 50 ms
 * from the first moment, with a deadline. A condition that throws has not held yet: it is tried again, and the
 * last failure is the cause of the timeout.
 */
public final class Eventually {
    private static final Duration POLL = Duration.ofMillis(50);

    private Eventually() {
    }

    /** Awaitility set up this way, for what {@link #await} does not cover (a value to return, a fail-fast condition). */
    public static ConditionFactory within(Duration timeout, String what) {
        return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL).ignoreExceptions();
    }

    /**
     * Returns once the condition holds; fails with a {@code ConditionTimeoutException} naming {@code what} after the
     * timeout. The condition may throw (a checked exception too): that is an attempt that has not held.
     */
    public static void await(Duration timeout, String what, Callable<Boolean> condition) {
        within(timeout, what).until(condition);
    }
}
