package io.sqlgate.proxy.routing;

import io.sqlgate.proxy.health.NodeState;

/**
 * Where one statement goes.
 *
 * @param strategy the strategy's name, or {@code writer} for writes and locking reads
 * @param fallback true when no reader was healthy and the writer serves the read instead
 */
public record Route(NodeState node, String strategy, boolean fallback) {
    public static final String WRITER = "writer";
}
