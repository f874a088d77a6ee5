package io.sqlgate.proxy.routing;

import io.sqlgate.proxy.health.ClusterSnapshot;
import io.sqlgate.proxy.health.NodeState;

import java.util.Optional;

/** The writer, when there is one. */
public final class DirectPicker implements NodePicker {
    @Override
    public Optional<NodeState> pick(ClusterSnapshot snapshot) {
        return snapshot.writer();
    }
}
