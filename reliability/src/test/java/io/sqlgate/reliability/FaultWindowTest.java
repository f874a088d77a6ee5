package io.sqlgate.reliability;

import io.sqlgate.reliability.Outcome.Op;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultWindowTest {

    private static Outcome answer(double start, double latency, int status, String code, String node) {
        return new Outcome((long) start, Op.FETCH_RANDOM, null, start, latency, status, code, node, false, true, null);
    }

    private final List<Outcome> outcomes = List.of(
            answer(500, 10, 200, null, "node2"),       // before the phase
            answer(1_000, 10, 200, null, "node2"),
            answer(2_100, 40, 503, "NODE_UNAVAILABLE", null),
            answer(2_500, 900, 200, null, "node2"),
            answer(3_000, 20, 0, "refused", null),
            answer(4_000, 15, 200, null, "node3"),
            answer(9_000, 5, 200, null, "node3"));   // after the phase

    @Test
    void theWindowCountsOnlyItsRequestsAndMeasuresErrorsAndRecovery() {
        FaultWindow window = FaultWindow.of("kill", 1_000, 2_000, 3_500, 3_900, 4_015, 8_000, outcomes);
        assertEquals(5, window.outcomes().size());
        assertEquals(Map.of("200", 3L, "503 NODE_UNAVAILABLE", 1L, "no answer (refused)", 1L), window.byStatus());
        assertArrayEquals(new double[]{2_100, 3_020}, window.errorWindow().orElseThrow());
        assertEquals(900, window.longest().latencyMs());
        assertEquals(515, window.backInServiceMs(), 1e-9);
        assertEquals(2_015, window.fullRecoveryMs(), 1e-9);
        assertTrue(window.errorWindowText().startsWith("0.9 s (+0.1 s"), window.errorWindowText());
    }

    /** The writer killed at 2 s and restarted at 10 s: writes sent after the kill are answered from 3.5 s. */
    @Test
    void writesAnsweredAgainAreTheFirstWriteSentAfterTheFaultThatWasAnswered() {
        List<Outcome> writes = List.of(
                new Outcome(1, Op.WRITE_POPULATE, "a", 1_900, 200, 503, "WRITE_OUTCOME_UNKNOWN", null, false, true, null),
                new Outcome(2, Op.WRITE_POPULATE, "b", 2_100, 1_400, 200, null, "node2", false, true, null),
                new Outcome(3, Op.FETCH_RANDOM, null, 2_200, 10, 200, null, "node3", false, true, null),
                new Outcome(4, Op.WRITE_POPULATE, "c", 3_000, 20, 200, null, "node2", false, true, null));
        FaultWindow window = FaultWindow.of("kill -9 node1 (writer)", 1_000, 2_000, 10_000, 12_000, 12_500, 15_000, writes);
        assertEquals(3_020, window.writesAgainMs(), 1e-9);
        assertEquals("+1.0 s, before the restart", window.writesAgainText());
        assertEquals("never", FaultWindow.of("x", 1_000, 3_500, 10_000, 12_000, 12_500, 15_000, writes).writesAgainText());
    }

    @Test
    void aWindowWithoutErrorsRecoversWhenTheRestoredPartServes() {
        FaultWindow window = FaultWindow.of("kill", 3_900, 3_950, 3_960, 3_990, 4_015, 5_000, outcomes);
        assertTrue(window.errorWindow().isEmpty());
        assertEquals("none", window.errorWindowText());
        assertEquals(65, window.fullRecoveryMs(), 1e-9);
    }

    @Test
    void problemsNameWhatWentWrong() {
        FaultWindow slow = FaultWindow.of("slow", 1_000, 2_000, 3_500, 3_900, Double.NaN, 8_000, outcomes);
        WriteCheck clean = new WriteCheck(3, 0, Map.of("node1", java.util.Set.of()), java.util.Set.of(), 0);
        List<String> problems = FaultSuite.problems(List.of(slow), clean, Duration.ofMillis(500));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("did not serve again"));
        assertTrue(problems.get(1).contains("900 ms"));
        WriteCheck lost = new WriteCheck(3, 0, Map.of("node1", java.util.Set.of("run-7")), java.util.Set.of(), 0);
        assertTrue(FaultSuite.problems(List.of(), lost, Duration.ofSeconds(1)).get(0).contains("node1 1"));
        // the ledger disagreeing with the data: a row without its entry, an entry without its row
        WriteCheck unrecorded = new WriteCheck(3, 0, Map.of("node1", java.util.Set.of()), java.util.Set.of(), 0,
                Map.of("node2", java.util.Set.of("run-3")), Map.of("node3", java.util.Set.of("run-9")));
        List<String> ledger = FaultSuite.problems(List.of(), unrecorded, Duration.ofSeconds(1));
        assertEquals(1, ledger.size(), ledger.toString());
        assertTrue(ledger.get(0).contains("not exactly one ledger entry on node2: [run-3]")
                && ledger.get(0).contains("a ledger entry without its row on node3: [run-9]"), ledger.get(0));
        // a node held down 20 s while writes waited for its restart: no failover
        List<Outcome> stuck = List.of(new Outcome(1, Op.WRITE_POPULATE, "a", 2_500, 10, 503, "NODE_UNAVAILABLE", null, false, true, null),
                new Outcome(2, Op.WRITE_POPULATE, "b", 22_500, 10, 200, null, "node1", false, true, null));
        FaultWindow noFailover = FaultWindow.of("kill -9 node1 (writer)", 1_000, 2_000, 22_000, 24_000, 22_510, 30_000, stuck);
        List<String> found = FaultSuite.problems(List.of(noFailover), clean, Duration.ofSeconds(1));
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).contains("not answered again within 5 s") && found.get(0).contains("after the restart"), found.get(0));
    }
}
