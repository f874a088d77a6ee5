package io.sqlgate.proxy.health;

import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every node's state and the writer at one moment, as requests see it. Immutable; the monitor replaces it whole
 * ({@link WriterElection} makes it).
 */
public final class ClusterSnapshot {
    private final List<NodeState> nodes;
    private final NodeState writer;
    private final List<NodeState> readers;

    /** @param writer the name of the node that takes writes, or null when none can */
    public ClusterSnapshot(List<NodeState> nodes, @Nullable String writer) {
        this.nodes = List.copyOf(nodes);
        this.writer = writer == null ? null : nodes.stream().filter(node -> node.name().equals(writer)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the writer " + writer + " is not among the nodes"));
        if (this.writer != null && !this.writer.up()) {
            throw new IllegalArgumentException("the writer " + writer + " is not up");
        }
        List<NodeState> reads = new ArrayList<>();
        for (NodeState node : nodes) {
            if (node.up() && !node.readsPaused() && !node.name().equals(writer)) {
                reads.add(node);
            }
        }
        this.readers = List.copyOf(reads);
    }

    public List<NodeState> nodes() {
        return nodes;
    }

    /** The node that takes writes, locking reads and direct reads, if any node can. */
    public Optional<NodeState> writer() {
        return Optional.ofNullable(writer);
    }

    /** Nodes that serve reads chosen by strategy: up, reads not paused, not the writer; by name. */
    public List<NodeState> readers() {
        return readers;
    }

    /**
     * No writer yet because a node has no outcome yet: at start-up, until the monitor's first election (it waits
     * for the preferred node's outcome). Never again once every node has had one.
     */
    public boolean electing() {
        return writer == null && nodes.stream().anyMatch(node -> !node.checked());
    }

    public Optional<NodeState> node(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst();
    }

    /** What a node does now: {@code writer}, {@code reader}, {@code paused} (up, serving no strategy reads) or {@code out}. */
    public String role(NodeState node) {
        if (writer != null && writer.name().equals(node.name())) {
            return "writer";
        }
        return !node.up() ? "out" : node.readsPaused() ? "paused" : "reader";
    }
}
