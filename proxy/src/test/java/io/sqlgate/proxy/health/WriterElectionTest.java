package io.sqlgate.proxy.health;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriterElectionTest {
    private static final WriterElection STAY = new WriterElection("node1", false);
    private static final WriterElection FAILBACK = new WriterElection("node1", true);

    private static NodeState galera(String name, boolean up, long index) {
        return new NodeState(name, true, true, up, false, 1000, up ? "answering" : "connection refused", "uuid-a", index);
    }

    private static NodeState ndb(String name, boolean up) {
        return new NodeState(name, true, true, up, false, 1000, up ? "answering" : "connection refused", null, Long.MAX_VALUE);
    }

    private static Optional<String> writer(ClusterSnapshot snapshot) {
        return snapshot.writer().map(NodeState::name);
    }

    @Test
    void thePreferredNodeIsTheWriterWhileItIsHealthyAndTheOthersAreReaders() {
        ClusterSnapshot snapshot = STAY.decide(List.of(galera("node2", true, 0), galera("node1", true, 2), galera("node3", true, 1)), null);
        assertEquals(Optional.of("node1"), writer(snapshot));
        assertEquals(List.of("node2", "node3"), snapshot.readers().stream().map(NodeState::name).toList());
        assertEquals("writer", snapshot.role(snapshot.node("node1").orElseThrow()));
    }

    @Test
    void onGaleraTheLowestLocalIndexAmongHealthyWritableNodesTakesOver() {
        ClusterSnapshot snapshot = STAY.decide(List.of(galera("node1", false, 0), galera("node2", true, 1), galera("node3", true, 0)), "node1");
        assertEquals(Optional.of("node3"), writer(snapshot));
        assertEquals(List.of("node2"), snapshot.readers().stream().map(NodeState::name).toList());
    }

    @Test
    void onNdbTheNextNodeByNameAfterThePreferredTakesOver() {
        WriterElection election = new WriterElection("sql1", false);
        assertEquals(Optional.of("sql2"), writer(election.decide(List.of(ndb("sql0", true), ndb("sql1", false), ndb("sql2", true)), "sql1")));
        assertEquals(Optional.of("sql0"), writer(election.decide(List.of(ndb("sql0", true), ndb("sql1", false), ndb("sql2", false)), "sql1")));
    }

    @Test
    void withoutFailbackTheNewWriterStaysWhenThePreferredComesBack() {
        List<NodeState> back = List.of(galera("node1", true, 2), galera("node2", true, 0), galera("node3", true, 1));
        assertEquals(Optional.of("node2"), writer(STAY.decide(back, "node2")));
        assertEquals(Optional.of("node1"), writer(FAILBACK.decide(back, "node2")));
    }

    @Test
    void aNodeThatIsNotWritableNeverTakesWrites() {
        NodeState readOnly = new NodeState("node2", false, true, true, false, 1000, "answering", "uuid-a", 0);
        ClusterSnapshot snapshot = STAY.decide(List.of(galera("node1", false, 1), readOnly), "node1");
        assertEquals(Optional.empty(), writer(snapshot));
        assertEquals(List.of("node2"), snapshot.readers().stream().map(NodeState::name).toList());
    }

    @Test
    void noOtherWriterIsElectedBeforeThePreferredNodesFirstPingHasAnOutcome() {
        List<NodeState> starting = List.of(NodeState.unknown("node1", true), galera("node2", true, 0));
        assertEquals(Optional.empty(), writer(STAY.decide(starting, null)));
        assertEquals(Optional.of("node2"), writer(STAY.decide(List.of(galera("node1", false, 0), galera("node2", true, 0)), null)));
    }

    @Test
    void theSnapshotIsElectingOnlyWhileItHasNoWriterAndANodeHasNoOutcome() {
        assertTrue(STAY.decide(List.of(NodeState.unknown("node1", true), galera("node2", true, 0)), null).electing());
        assertTrue(STAY.decide(List.of(NodeState.unknown("node1", true), NodeState.unknown("node2", true)), null).electing());
        assertFalse(STAY.decide(List.of(galera("node1", true, 0), NodeState.unknown("node2", true)), null).electing(),
                "a writer is elected: requests need not wait for the other node");
        assertFalse(STAY.decide(List.of(galera("node1", false, 0), galera("node2", false, 1)), null).electing(),
                "every node has an outcome and none can write: a 503 at once");
    }

    @Test
    void aNodeOfAnotherClusterHistoryThanTheMajorityIsOutEvenIfItSaysItIsFine() {
        NodeState stray = new NodeState("node1", true, true, true, false, 1000, "answering", "uuid-b", 0);
        ClusterSnapshot snapshot = STAY.decide(List.of(stray, galera("node2", true, 0), galera("node3", true, 1)), "node1");
        assertFalse(snapshot.node("node1").orElseThrow().up());
        assertTrue(snapshot.node("node1").orElseThrow().reason().contains("uuid-b"));
        assertEquals(Optional.of("node2"), writer(snapshot));
    }

    @Test
    void aNodeWithReadsPausedServesNoStrategyReadsButMayStayTheWriter() {
        NodeState paused = new NodeState("node3", true, true, true, true, 1000, "behind", "uuid-a", 1);
        NodeState pausedWriter = new NodeState("node1", true, true, true, true, 1000, "donor", "uuid-a", 2);
        ClusterSnapshot snapshot = STAY.decide(List.of(pausedWriter, galera("node2", true, 0), paused), "node1");
        assertEquals(Optional.of("node1"), writer(snapshot));
        assertEquals(List.of("node2"), snapshot.readers().stream().map(NodeState::name).toList());
        assertEquals("paused", snapshot.role(paused));
    }

    /** Replicas see the nodes in whatever order; from the same states and the same writer so far they agree. */
    @Test
    void theSameStatesGiveTheSameWriterWhateverTheirOrder() {
        Random random = new Random(20261203);
        for (int trial = 0; trial < 2_000; trial++) {
            List<NodeState> states = new ArrayList<>();
            List<Long> indexes = new ArrayList<>(List.of(0L, 1L, 2L, 3L));
            Collections.shuffle(indexes, random);
            for (int i = 1; i <= 4; i++) {
                states.add(galera("node" + i, random.nextBoolean(), indexes.get(i - 1)));
            }
            String current = random.nextBoolean() ? null : "node" + (1 + random.nextInt(4));
            Optional<String> expected = writer(STAY.decide(states, current));
            Collections.shuffle(states, random);
            assertEquals(expected, writer(STAY.decide(states, current)), states.toString());
            expected.ifPresent(name -> assertTrue(states.stream().anyMatch(node -> node.name().equals(name) && node.up())));
            assertEquals(expected.isEmpty(), states.stream().noneMatch(NodeState::up), states.toString());
        }
    }
}
