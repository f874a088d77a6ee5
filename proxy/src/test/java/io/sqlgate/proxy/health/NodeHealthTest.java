package io.sqlgate.proxy.health;

import io.sqlgate.proxy.nodes.NodeRole;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeHealthTest {
    private final NodeHealth health = new NodeHealth("node2", NodeRole.READ, 3, 0.5);

    @Test
    void startsDownUntilTheFirstAnswer() {
        assertFalse(health.state().up());
        assertEquals(-1, health.state().latencyMicros());
        NodeState state = health.answered(800);
        assertTrue(state.up());
        assertEquals(800, state.latencyMicros());
    }

    @Test
    void smoothsLatencyWithAnExponentialAverage() {
        health.answered(1000);
        assertEquals(1500, health.answered(2000).latencyMicros(), 1e-9);
        assertEquals(1750, health.answered(2000).latencyMicros(), 1e-9);
    }

    @Test
    void goesDownAfterConsecutivePingFailuresOnly() {
        health.answered(1000);
        assertTrue(health.pingFailed("timeout").up());
        assertTrue(health.pingFailed("timeout").up());
        assertTrue(health.answered(1000).up(), "an answer resets the count");
        assertTrue(health.pingFailed("timeout").up());
        assertTrue(health.pingFailed("timeout").up());
        NodeState down = health.pingFailed("timeout");
        assertFalse(down.up());
        assertTrue(down.reason().contains("3 in a row"), down.reason());
    }

    @Test
    void goesDownAtOnceOnAConnectionError() {
        health.answered(1000);
        NodeState down = health.connectionFailed("Connection refused");
        assertFalse(down.up());
        assertTrue(down.reason().contains("Connection refused"));
    }

    @Test
    void goesDownAtOnceWhenOutOfSyncAndComesBackWhenItAnswers() {
        health.answered(1000);
        assertFalse(health.outOfSync("galera: state Donor/Desynced").up());
        NodeState back = health.answered(1000);
        assertTrue(back.up());
        assertEquals("answering", back.reason());
    }

    @Test
    void keepsItsLatencyWhileDown() {
        health.answered(1000);
        health.connectionFailed("gone");
        assertEquals(1000, health.state().latencyMicros());
    }
}
