package io.sqlgate.proxy.routing;

import io.sqlgate.proxy.health.ClusterSnapshot;
import io.sqlgate.proxy.health.NodeState;

import java.util.Optional;

/** The primary, when it is up. */
public final class DirectPicker implements NodePicker {
    @Override
    public Optional<NodeState> pick(ClusterSnapshot snapshot) {
        return snapshot.primary().up() ? Optional.of(snapshot.primary()) : Optional.empty();
    }
}
