package io.sqlgate.proxy.routing;

import io.sqlgate.proxy.health.ClusterSnapshot;
import io.sqlgate.proxy.health.NodeState;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PickersTest {
    private static NodeState node(String name, boolean up, double latency) {
        return new NodeState(name, true, true, up, false, latency, up ? "answering" : "down", null, Long.MAX_VALUE);
    }

    /** The first node is the writer when it is up. */
    private static ClusterSnapshot snapshot(NodeState... nodes) {
        return new ClusterSnapshot(List.of(nodes), nodes[0].up() ? nodes[0].name() : null);
    }

    private final ClusterSnapshot allUp = snapshot(node("p", true, 100),
            node("a", true, 900), node("b", true, 300), node("c", true, 600));

    @Test
    void directPicksTheWriterOnlyWhenThereIsOne() {
        assertEquals("p", new DirectPicker().pick(allUp).orElseThrow().name());
        ClusterSnapshot primaryDown = snapshot(node("p", false, 100), node("a", true, 1));
        assertEquals(Optional.empty(), new DirectPicker().pick(primaryDown));
    }

    @Test
    void randomSpreadsUniformlyOverHealthyReadNodesOnly() {
        ClusterSnapshot oneDown = snapshot(node("p", true, 1), node("a", true, 1),
                node("b", false, 1), node("c", true, 1));
        Map<String, Integer> counts = new HashMap<>();
        RandomPicker picker = new RandomPicker();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(picker.pick(oneDown).orElseThrow().name(), 1, Integer::sum);
        }
        assertEquals(2, counts.size(), counts.toString());
        assertTrue(counts.get("a") > 4_500 && counts.get("c") > 4_500, counts.toString());
    }

    @Test
    void readPickersFindNothingWhenNoReadNodeIsUp() {
        ClusterSnapshot readsDown = snapshot(node("p", true, 1), node("a", false, 1));
        assertEquals(Optional.empty(), new RandomPicker().pick(readsDown));
        assertEquals(Optional.empty(), new CustomizedPicker(0.05).pick(readsDown));
    }

    @Test
    void customizedPicksTheLowestLatencyWhenNotExploring() {
        assertEquals("b", new CustomizedPicker(0.05, () -> 0.5).pick(allUp).orElseThrow().name());
        assertEquals("b", new CustomizedPicker(0.0, () -> 0.0).pick(allUp).orElseThrow().name());
    }

    @Test
    void customizedExploresTheOtherNodesEvenly() {
        // The exploring share [0, 0.1) is split over the two slower nodes a and c.
        assertEquals("a", new CustomizedPicker(0.1, () -> 0.01).pick(allUp).orElseThrow().name());
        assertEquals("c", new CustomizedPicker(0.1, () -> 0.09).pick(allUp).orElseThrow().name());
        assertEquals("b", new CustomizedPicker(0.1, () -> 0.1).pick(allUp).orElseThrow().name());
    }

    @Test
    void customizedKeepsMostTrafficOnTheFastestWithRealDice() {
        CustomizedPicker picker = new CustomizedPicker(0.05);
        int fastest = 0;
        for (int i = 0; i < 10_000; i++) {
            if (picker.pick(allUp).orElseThrow().name().equals("b")) {
                fastest++;
            }
        }
        assertTrue(fastest > 9_300 && fastest < 9_700, "fastest got " + fastest);
    }

    @Test
    void customizedWithASingleReadNodeAlwaysPicksIt() {
        ClusterSnapshot single = snapshot(node("p", true, 1), node("a", true, 5));
        assertEquals("a", new CustomizedPicker(0.5, () -> 0.0).pick(single).orElseThrow().name());
    }
}
