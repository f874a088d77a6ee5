package io.sqlgate.sysbench;

import java.time.Duration;

/**
 * Bounds on every wait: a target that never comes up, or a sysbench that hangs, ends the job instead of
 * holding it forever.
 *
 * @param runMargin how much longer than {@code --time} the run step may take (connecting, warm-up, summary)
 */
public record Timeouts(Duration ready, Duration prepare, Duration runMargin, Duration cleanup) {

    public Timeouts {
        for (Duration d : new Duration[] {ready, prepare, runMargin, cleanup}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("every timeout must be at least 1 second");
            }
        }
    }

    public Duration run(int timeSeconds) {
        return Duration.ofSeconds(timeSeconds).plus(runMargin);
    }
}
