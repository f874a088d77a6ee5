package io.sqlgate.proxy.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every node's state at one moment, as the pickers see it. Immutable; the monitor replaces it whole.
 */
public final class ClusterSnapshot {
    private final List<NodeState> nodes;
    private final NodeState primary;
    private final List<NodeState> healthyReads;

    public ClusterSnapshot(List<NodeState> nodes) {
        this.nodes = List.copyOf(nodes);
        this.primary = nodes.stream().filter(NodeState::isPrimary).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("a cluster needs a primary node"));
        List<NodeState> reads = new ArrayList<>();
        for (NodeState node : nodes) {
            if (!node.isPrimary() && node.up()) {
                reads.add(node);
            }
        }
        this.healthyReads = List.copyOf(reads);
    }

    public List<NodeState> nodes() {
        return nodes;
    }

    public NodeState primary() {
        return primary;
    }

    /** Read nodes that are up, in configuration order. */
    public List<NodeState> healthyReads() {
        return healthyReads;
    }

    public Optional<NodeState> node(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst();
    }

    /** A copy with one node's state replaced. */
    public ClusterSnapshot with(NodeState changed) {
        List<NodeState> updated = new ArrayList<>(nodes.size());
        for (NodeState node : nodes) {
            updated.add(node.name().equals(changed.name()) ? changed : node);
        }
        return new ClusterSnapshot(updated);
    }
}
