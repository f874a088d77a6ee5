package io.sqlgate.proxy.health;

import io.sqlgate.proxy.nodes.DatabaseErrors.Kind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every transition of one node's health, on a fake clock (seconds, as nanoseconds). */
class NodeHealthTest {
    private static final long S = 1_000_000_000L;
    private final NodeHealth health = new NodeHealth("node2", true, 3, 2, 100, 0.5);

    private static NodeStatus galera(String state, String component, long receiveQueue) {
        return new NodeStatus(new NodeStatus.Galera(true, state, component, "uuid-a", 1, receiveQueue), -1);
    }

    private static final NodeStatus SYNCED = galera("Synced", "Primary", 0);

    @Test
    void startsOutUntilTheFirstAnswerWhichBringsItUpAtOnce() {
        assertFalse(health.state().up());
        assertFalse(health.state().checked());
        assertEquals(-1, health.state().latencyMicros());
        NodeState state = health.answered(S, 800, SYNCED, true);
        assertTrue(state.up());
        assertTrue(state.checked());
        assertEquals(800, state.latencyMicros());
        assertEquals("uuid-a", state.clusterUuid());
        assertEquals(1, state.localIndex());
    }

    @Test
    void smoothsLatencyWithAnExponentialAverage() {
        health.answered(S, 1000, SYNCED, true);
        assertEquals(1500, health.answered(2 * S, 2000, SYNCED, true).latencyMicros(), 1e-9);
        assertEquals(1750, health.answered(3 * S, 2000, SYNCED, true).latencyMicros(), 1e-9);
    }

    @Test
    void aNodeIsNotBroughtUpBeforeItsApplicationPoolHoldsAConnection() {
        NodeState waiting = health.answered(S, 800, SYNCED, false);
        assertFalse(waiting.up());
        assertFalse(waiting.checked(), "no outcome yet: no other writer is elected meanwhile");
        assertTrue(waiting.reason().contains("application pool"), waiting.reason());
        assertTrue(health.answered(2 * S, 800, SYNCED, true).up());
        health.pingFailed(3 * S, Kind.REFUSED, "gone");
        health.answered(4 * S, 800, SYNCED, false);
        assertFalse(health.answered(5 * S, 800, SYNCED, false).up(), "enough good pings, but no connection yet");
        assertTrue(health.answered(6 * S, 800, SYNCED, true).up());

        NodeHealth unreachablePool = new NodeHealth("n", true, 3, 2, 100, 0.5);
        for (int i = 1; i < NodeHealth.POOL_WAIT_PINGS; i++) {
            assertFalse(unreachablePool.answered(i * S, 800, SYNCED, false).checked(), "ping " + i + " without a connection");
        }
        assertTrue(unreachablePool.answered(NodeHealth.POOL_WAIT_PINGS * S, 800, SYNCED, false).checked(),
                NodeHealth.POOL_WAIT_PINGS + " pings without a connection are an outcome");
    }

    @Test
    void timeoutsCountAgainstTheThresholdAndAnAnswerResetsTheCount() {
        health.answered(S, 1000, SYNCED, true);
        assertTrue(health.pingFailed(2 * S, Kind.TIMEOUT, "timeout").up());
        assertTrue(health.pingFailed(3 * S, Kind.LOST, "broken").up());
        assertTrue(health.answered(4 * S, 1000, SYNCED, true).up(), "an answer resets the count");
        assertTrue(health.pingFailed(5 * S, Kind.TIMEOUT, "timeout").up());
        assertTrue(health.pingFailed(6 * S, Kind.TIMEOUT, "timeout").up());
        NodeState down = health.pingFailed(7 * S, Kind.TIMEOUT, "timeout");
        assertFalse(down.up());
        assertTrue(down.reason().contains("3 in a row"), down.reason());
    }

    @Test
    void aRefusedConnectionOrANodeThatCannotServeTakesItOutAtOnce() {
        health.answered(S, 1000, SYNCED, true);
        NodeState refused = health.pingFailed(2 * S, Kind.REFUSED, "Connection refused");
        assertFalse(refused.up());
        assertTrue(refused.reason().contains("Connection refused"), refused.reason());

        NodeHealth other = new NodeHealth("node3", true, 3, 1, 100, 0.5);
        other.answered(S, 1000, SYNCED, true);
        assertFalse(other.pingFailed(2 * S, Kind.NOT_READY, "WSREP has not yet prepared node").up());
    }

    @Test
    void aNodeOutComesBackOnlyAfterEnoughGoodPingsInARow() {
        health.answered(S, 1000, SYNCED, true);
        health.pingFailed(2 * S, Kind.REFUSED, "gone");
        NodeState first = health.answered(3 * S, 1000, SYNCED, true);
        assertFalse(first.up());
        assertTrue(first.reason().contains("1 of 2"), first.reason());
        health.pingFailed(4 * S, Kind.TIMEOUT, "slow");
        assertFalse(health.answered(5 * S, 1000, SYNCED, true).up(), "a failure in between starts the count again");
        NodeState back = health.answered(6 * S, 1000, SYNCED, true);
        assertTrue(back.up());
        assertEquals("answering", back.reason());
    }

    /** Up, with its reads paused and the reason naming it, while {@code paused} holds; resumed by {@code resumed}. */
    private void assertReadsPausedUntil(NodeStatus paused, String reason, NodeStatus resumed) {
        health.answered(S, 1000, SYNCED, true);
        NodeState state = health.answered(2 * S, 1000, paused, true);
        assertTrue(state.up());
        assertTrue(state.readsPaused());
        assertTrue(state.reason().contains(reason), state.reason());
        assertFalse(health.answered(3 * S, 1000, resumed, true).readsPaused());
    }

    @Test
    void aDonorStaysUpWithItsReadsPausedUntilTheTransferEnds() {
        assertReadsPausedUntil(galera("Donor/Desynced", "Primary", 0), "donor", SYNCED);
    }

    @Test
    void aDonorWhoseTransferEndedStaysUpThroughJoinedWithItsReadsPaused() {
        health.answered(S, 1000, SYNCED, true);
        health.answered(2 * S, 1000, galera("Donor/Desynced", "Primary", 0), true);
        assertReadsPausedUntil(galera("Joined", "Primary", 0), "Joined", SYNCED);
    }

    @Test
    void aNodeOutIsNotBroughtBackWhileItIsJoined() {
        health.answered(S, 1000, SYNCED, true);
        health.pingFailed(2 * S, Kind.REFUSED, "restarting");
        for (int i = 3; i < 8; i++) {
            NodeState joined = health.answered(i * S, 1000, galera("Joined", "Primary", 0), true);
            assertFalse(joined.up(), "ping " + i);
            assertTrue(joined.checked());
            assertTrue(joined.reason().contains("Joined"), joined.reason());
        }
        assertFalse(health.answered(8 * S, 1000, SYNCED, true).up(), "Joined answers do not count towards the 2 in a row");
        assertTrue(health.answered(9 * S, 1000, SYNCED, true).up());
    }

    @Test
    void aJoinerOrANodeOutsideThePrimaryComponentOrNotReadyIsOutAtOnce() {
        for (NodeStatus unfit : new NodeStatus[]{galera("Joining", "Primary", 0), galera("Joining: receiving State Transfer", "Primary", 0),
                galera("Synced", "non-Primary", 0),
                new NodeStatus(new NodeStatus.Galera(false, "Synced", "Primary", "uuid-a", 1, 0), -1),
                new NodeStatus(null, 0)}) {
            NodeHealth node = new NodeHealth("n", true, 3, 2, 100, 0.5);
            node.answered(S, 1000, SYNCED, true);
            NodeState out = node.answered(2 * S, 1000, unfit, true);
            assertFalse(out.up(), unfit.toString());
            assertTrue(out.reason().startsWith("galera:") || out.reason().startsWith("ndb:"), out.reason());
        }
    }

    @Test
    void aNodeWithAReceiveQueueOverTheLimitHasItsReadsPausedUntilItCatchesUp() {
        assertReadsPausedUntil(galera("Synced", "Primary", 101), "101", galera("Synced", "Primary", 100));
    }

    @Test
    void aRequestsReportCountsLikeAPingsUnlessTheNodeCameBackAfterTheRequestBegan() {
        health.answered(S, 1000, SYNCED, true);
        health.pingFailed(2 * S, Kind.REFUSED, "gone");
        health.answered(10 * S, 1000, SYNCED, true);
        assertTrue(health.answered(11 * S, 1000, SYNCED, true).up());
        // a request that began at 9 s, before the node came back at 11 s, reports a refused connection late
        NodeState late = health.requestFailed(9 * S, Kind.REFUSED, "Connection refused");
        assertTrue(late.up(), late.reason());
        // one that began after it is heard
        assertFalse(health.requestFailed(12 * S, Kind.REFUSED, "Connection refused").up());
    }

    @Test
    void aRequestsReportOfABrokenConnectionIsOneFailureNotAnEjection() {
        health.answered(S, 1000, SYNCED, true);
        assertTrue(health.requestFailed(2 * S, Kind.LOST, "Communications link failure").up());
        assertTrue(health.requestFailed(2 * S, Kind.LOST, "Communications link failure").up());
        assertFalse(health.requestFailed(2 * S, Kind.LOST, "Communications link failure").up());
    }

    @Test
    void keepsItsLatencyWhileOutAndClockReadingsMayWrap() {
        NodeHealth wrapping = new NodeHealth("n", true, 3, 1, 100, 0.5);
        long near = Long.MAX_VALUE - S;
        wrapping.answered(near, 1000, SYNCED, true);
        wrapping.pingFailed(near + S / 2, Kind.REFUSED, "gone");
        assertEquals(1000, wrapping.state().latencyMicros());
        assertTrue(wrapping.answered(near + 2 * S, 1000, SYNCED, true).up());
        // the request began before the node came back, on a clock that wrapped in between
        assertTrue(wrapping.requestFailed(near + S, Kind.REFUSED, "late").up());
    }
}
