package io.sqlgate.reliability;

import java.time.Duration;

/**
 * Holds a run's phase for its set time: the steady load before a fault, a node kept down, a sampling interval, a
 * client's pacing. What waits for something to happen waits on it ({@code Eventually}), not for a time.
 */
final class Pause {
    private Pause() {
    }

    static void of(Duration duration) {
        millis(duration.toMillis());
    }

    static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
