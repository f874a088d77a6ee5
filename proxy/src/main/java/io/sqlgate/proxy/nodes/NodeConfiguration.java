package io.sqlgate.proxy.nodes;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;

/**
 * One database node: {@code proxy.nodes.<name>.url} and, optionally, {@code .writable}.
 *
 * @param name     the node's name, reported in {@code X-Served-By}
 * @param url      its JDBC URL; nodes of a Galera cluster add {@code sessionVariables=wsrep_sync_wait=1} so that
 *                 their reads see writes committed on whichever node is the writer
 * @param writable whether the monitor may make it the writer; every node of a Galera or NDB cluster can take
 *                 writes, so the default is true
 */
@EachProperty(NodeConfiguration.PREFIX)
public record NodeConfiguration(@Parameter String name, @NotBlank String url, @Nullable Boolean writable) {
    public static final String PREFIX = "proxy.nodes";

    public boolean canWrite() {
        return writable == null || writable;
    }
}
