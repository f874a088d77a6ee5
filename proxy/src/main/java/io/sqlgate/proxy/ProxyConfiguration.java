package io.sqlgate.proxy;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How the proxy talks to its nodes. Defaults are in {@code application.yml}; credentials come from the
 * environment ({@code DB_USERNAME}, {@code DB_PASSWORD}, {@code MONITOR_USERNAME}, {@code MONITOR_PASSWORD}).
 */
@ConfigurationProperties(ProxyConfiguration.PREFIX)
public record ProxyConfiguration(@Valid @NotNull Database database, @Valid @NotNull Monitor monitor,
                                 @Valid @NotNull Routing routing) {
    public static final String PREFIX = "proxy";

    /**
     * The application user's pools, one per node.
     *
     * @param poolSize          connections per node
     * @param connectionTimeout longest wait for a pooled connection, and to open a new one
     * @param queryTimeout      longest a statement may run before the database cancels it
     * @param maxRows           rows returned at most by a read; more are cut and flagged {@code truncated}
     */
    @ConfigurationProperties("database")
    public record Database(@NotBlank String username, @NotNull String password,
                           @Min(1) int poolSize,
                           @NotNull Duration connectionTimeout,
                           @NotNull Duration queryTimeout,
                           @Min(1) int maxRows) {
    }

    /**
     * The background health monitor, with its own least-privileged user.
     *
     * @param interval         time between two pings of a node
     * @param timeout          longest a ping may take before it counts as failed
     * @param failureThreshold consecutive failed pings that take a node out (a connection error takes it out at once)
     * @param smoothing        weight of the newest ping in the smoothed latency (EWMA)
     */
    @ConfigurationProperties("monitor")
    public record Monitor(@NotBlank String username, @NotNull String password,
                          @NotNull Duration interval,
                          @NotNull Duration timeout,
                          @Min(1) int failureThreshold,
                          @DecimalMin("0.01") @DecimalMax("1.0") double smoothing) {
    }

    /**
     * @param exploration share of customized reads sent to a node other than the fastest, so that every
     *                    node keeps being used and its figures stay honest
     */
    @ConfigurationProperties("routing")
    public record Routing(@DecimalMin("0.0") @DecimalMax("0.5") double exploration) {
    }
}
