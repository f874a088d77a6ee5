package io.sqlgate.proxy.routing;

import io.sqlgate.proxy.health.ClusterSnapshot;
import io.sqlgate.proxy.health.NodeState;

import java.util.Optional;

/** One read strategy: picks from the snapshot's healthy nodes, never blocks, empty when none fits. */
@FunctionalInterface
public interface NodePicker {
    Optional<NodeState> pick(ClusterSnapshot snapshot);
}
