package io.sqlgate.testkit;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventuallyTest {

    @Test
    void aConditionThatThrowsHasNotHeldYetAndIsTriedAgain() {
        AtomicInteger attempts = new AtomicInteger();
        Eventually.await(Duration.ofSeconds(10), "the third attempt", () -> {
            int attempt = attempts.incrementAndGet();
            if (attempt == 1) {
                throw new IllegalStateException("not yet");
            }
            if (attempt == 2) {
                throw new AssertionError("still not");
            }
            return true;
        });
        assertEquals(3, attempts.get());
    }

    @Test
    void aConditionThatNeverHoldsFailsAtTheDeadlineNamingWhatAndTheLastFailure() {
        ConditionTimeoutException timeout = assertThrows(ConditionTimeoutException.class,
                () -> Eventually.await(Duration.ofMillis(300), "the impossible", () -> {
                    throw new IllegalStateException("the reason");
                }));
        assertTrue(timeout.getMessage().contains("the impossible"), timeout.getMessage());
        assertInstanceOf(IllegalStateException.class, timeout.getCause());
        assertEquals("the reason", timeout.getCause().getMessage());
    }

    @Test
    void aValueIsAwaitedWithTheSameSettings() {
        AtomicInteger counter = new AtomicInteger();
        assertEquals(5, Eventually.within(Duration.ofSeconds(10), "five").until(counter::incrementAndGet, n -> n >= 5));
    }
}
