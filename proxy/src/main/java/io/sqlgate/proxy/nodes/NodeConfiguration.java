package io.sqlgate.proxy.nodes;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * One database node: {@code proxy.nodes.<name>.url} and {@code .role}.
 *
 * @param name the node's name, reported in {@code X-Served-By}
 * @param url  its JDBC URL; read nodes of a Galera cluster add {@code sessionVariables=wsrep_sync_wait=1}
 *             so that they see writes committed elsewhere
 * @param role primary or read
 */
@EachProperty(NodeConfiguration.PREFIX)
public record NodeConfiguration(@Parameter String name, @NotBlank String url, @NotNull NodeRole role) {
    public static final String PREFIX = "proxy.nodes";
}
