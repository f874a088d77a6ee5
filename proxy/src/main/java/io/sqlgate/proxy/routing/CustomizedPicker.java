package io.sqlgate.proxy.routing;

import io.sqlgate.proxy.health.ClusterSnapshot;
import io.sqlgate.proxy.health.NodeState;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The reader (a healthy node other than the writer) with the lowest smoothed latency. A small share of reads (the exploration rate)
 * goes to one of the other readers, so that they keep serving and a node that got faster is seen.
 */
public final class CustomizedPicker implements NodePicker {
    private final double exploration;
    private final DoubleSupplier dice;

    public CustomizedPicker(double exploration) {
        this(exploration, () -> ThreadLocalRandom.current().nextDouble());
    }

    CustomizedPicker(double exploration, DoubleSupplier dice) {
        this.exploration = exploration;
        this.dice = dice;
    }

    @Override
    public Optional<NodeState> pick(ClusterSnapshot snapshot) {
        List<NodeState> reads = snapshot.readers();
        if (reads.isEmpty()) {
            return Optional.empty();
        }
        int fastest = 0;
        for (int i = 1; i < reads.size(); i++) {
            if (reads.get(i).latencyMicros() < reads.get(fastest).latencyMicros()) {
                fastest = i;
            }
        }
        if (reads.size() > 1) {
            double roll = dice.getAsDouble();
            if (roll < exploration) {
                // Spread the exploring share evenly over the other nodes.
                int other = (int) (roll / exploration * (reads.size() - 1));
                return Optional.of(reads.get(other >= fastest ? other + 1 : other));
            }
        }
        return Optional.of(reads.get(fastest));
    }
}
