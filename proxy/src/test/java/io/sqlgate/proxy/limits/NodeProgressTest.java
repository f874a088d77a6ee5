package io.sqlgate.proxy.limits;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NodeProgressTest {
    private static final long MS = 1_000_000;
    private static final long STALL = NodeProgress.STALL.toNanos();

    @Test
    void aNodeThatAnswersOthersChargesTheLongStatementEveryMillisecond() {
        NodeProgress.Clock clock = new NodeProgress.Clock(STALL, 0);
        long start = clock.started(0);
        // point reads answered every 200 ms beside a statement that runs for 9 s
        for (long t = 200 * MS; t < 9_000 * MS; t += 200 * MS) {
            clock.started(t - MS);
            clock.finished(t);
        }
        assertEquals(9_000 * MS, clock.finished(9_000 * MS) - start);
    }

    @Test
    void aStalledNodeChargesItsFirstSecondAndThenNothingUntilItAnswersAgain() {
        NodeProgress.Clock clock = new NodeProgress.Clock(STALL, 0);
        long[] starts = new long[4];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = clock.started(i * MS);
        }
        // nothing answers for 5 s; then all four finish
        long end = 5_000 * MS;
        for (int i = 0; i < starts.length; i++) {
            assertEquals(STALL - i * MS, clock.finished(end) - starts[i], "statement " + i);
        }
        // and a statement after the stall runs on a clock that goes again
        long next = clock.started(end + MS);
        assertEquals(50 * MS, clock.finished(end + 51 * MS) - next);
    }

    @Test
    void aStatementAloneOnItsNodeIsChargedUntilTheNodeHasAnsweredNothingForAWhile() {
        NodeProgress.Clock clock = new NodeProgress.Clock(STALL, 0);
        long first = clock.started(0);
        long second = clock.started(500 * MS);
        assertEquals(STALL, clock.finished(9_000 * MS) - first, "charged its first second, nothing answered after it");
        assertEquals(STALL - 500 * MS + 1_000 * MS, clock.read(10_000 * MS) - second, "and the clock runs again after an answer");
    }

    @Test
    void anIdleNodeHasNotStalledAndReadingsOutOfOrderOrAroundZeroAreHarmless() {
        long origin = Long.MAX_VALUE - 500 * MS; // nanoTime may wrap
        NodeProgress.Clock clock = new NodeProgress.Clock(STALL, origin);
        long start = clock.started(origin + 60_000 * MS);
        assertEquals(0, clock.read(origin + 59_000 * MS) - start, "an earlier reading from another thread moves nothing");
        assertEquals(700 * MS, clock.finished(origin + 60_700 * MS) - start);
        assertEquals(clock.read(origin + 60_700 * MS), clock.read(origin + 90_000 * MS), "no statement, no time");
    }
}
