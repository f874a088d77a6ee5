package io.sqlgate.proxy.health;

import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, from every node's own state, which nodes may serve and which one is the writer. Pure: the same states
 * give the same snapshot, so that proxy replicas watching the same cluster pick the same writer.
 * <ol>
 *   <li>Galera nodes that report another cluster history ({@code wsrep_cluster_state_uuid}) than most answering
 *       nodes are out: a node bootstrapped on its own is a cluster of its own, whatever it says of itself.</li>
 *   <li>The writer is one of the healthy writable nodes: the preferred one when failback is on and it is healthy;
 *       otherwise the current writer while it is healthy (writes move once per failure, not back and forth);
 *       otherwise the preferred one; otherwise, on Galera, the lowest {@code wsrep_local_index} (as MaxScale's
 *       galeramon picks, so that two proxies agree), and elsewhere (NDB) the next node by name after the
 *       preferred one.</li>
 *   <li>Until the preferred node's first ping has an outcome, no other node is elected: at start-up the preferred
 *       node's answer may come a moment after another's, and writes must not move for that.</li>
 * </ol>
 */
public final class WriterElection {
    private final String preferred;
    private final boolean failback;

    public WriterElection(String preferred, boolean failback) {
        this.preferred = preferred;
        this.failback = failback;
    }

    public String preferred() {
        return preferred;
    }

    /**
     * @param states  every node's own state, in any order
     * @param current the writer so far, or null
     */
    public ClusterSnapshot decide(List<NodeState> states, @Nullable String current) {
        List<NodeState> nodes = new ArrayList<>(states);
        nodes.sort(Comparator.comparing(NodeState::name));
        outsideTheMajority(nodes, current);
        return new ClusterSnapshot(nodes, elect(nodes, current));
    }

    private void outsideTheMajority(List<NodeState> nodes, @Nullable String current) {
        Map<String, Integer> members = new HashMap<>();
        for (NodeState node : nodes) {
            if (node.up() && node.clusterUuid() != null) {
                members.merge(node.clusterUuid(), 1, Integer::sum);
            }
        }
        if (members.size() < 2) {
            return;
        }
        String majority = members.keySet().stream().max(Comparator.<String>comparingInt(members::get)
                .thenComparing(uuid -> holds(nodes, uuid, current))
                .thenComparing(uuid -> holds(nodes, uuid, preferred))
                .thenComparing(Comparator.<String>naturalOrder().reversed())).orElseThrow();
        for (int i = 0; i < nodes.size(); i++) {
            NodeState node = nodes.get(i);
            if (node.up() && node.clusterUuid() != null && !node.clusterUuid().equals(majority)) {
                nodes.set(i, node.out("galera: cluster " + node.clusterUuid() + " is not the majority's " + majority));
            }
        }
    }

    private static boolean holds(List<NodeState> nodes, String uuid, @Nullable String name) {
        return name != null && nodes.stream().anyMatch(node -> node.name().equals(name) && uuid.equals(node.clusterUuid()));
    }

    @Nullable
    private String elect(List<NodeState> nodes, @Nullable String current) {
        List<NodeState> candidates = nodes.stream().filter(node -> node.up() && node.writable()).toList();
        Optional<NodeState> preferredNode = nodes.stream().filter(node -> node.name().equals(preferred)).findFirst();
        boolean preferredFit = candidates.stream().anyMatch(node -> node.name().equals(preferred));
        if (failback && preferredFit) {
            return preferred;
        }
        if (current != null && candidates.stream().anyMatch(node -> node.name().equals(current))) {
            return current;
        }
        if (preferredFit) {
            return preferred;
        }
        if (candidates.isEmpty() || preferredNode.isPresent() && !preferredNode.get().checked()) {
            return null;
        }
        if (candidates.stream().allMatch(node -> node.localIndex() != Long.MAX_VALUE)) {
            return candidates.stream().min(Comparator.comparingLong(NodeState::localIndex).thenComparing(NodeState::name))
                    .orElseThrow().name();
        }
        return candidates.stream().filter(node -> node.name().compareTo(preferred) > 0).findFirst()
                .orElse(candidates.get(0)).name();
    }
}
