package io.sqlgate.proxy.routing;

import io.sqlgate.proxy.health.ClusterSnapshot;
import io.sqlgate.proxy.health.NodeState;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** A reader (a healthy node other than the writer), uniformly at random. */
public final class RandomPicker implements NodePicker {
    @Override
    public Optional<NodeState> pick(ClusterSnapshot snapshot) {
        List<NodeState> reads = snapshot.readers();
        return reads.isEmpty() ? Optional.empty() : Optional.of(reads.get(ThreadLocalRandom.current().nextInt(reads.size())));
    }
}
