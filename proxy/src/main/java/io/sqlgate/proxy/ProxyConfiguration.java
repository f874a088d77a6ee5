package io.sqlgate.proxy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.ReadableBytes;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
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
                                 @NotNull Writer writer, @Valid @NotNull Routing routing,
                                 @Valid @NotNull Limits limits, @NotNull Audit audit,
                                 @Valid @NotNull Statistics statistics) {
    public static final String PREFIX = "proxy";

    /**
     * The application user's pools, one per node.
     *
     * @param poolSize          connections per node
     * @param connectionTimeout longest wait for a pooled connection, and to open a new one
     * @param queryTimeout      longest a statement may run before the database cancels it
     * @param maxRows           rows returned at most by a read; more are cut and flagged {@code truncated}
     * @param maxResultBytes    size of a read's answer at most (its JSON, as the proxy would send it); a larger
     *                          result is refused with RESULT_TOO_LARGE, and a single row larger than this is never
     *                          read off the socket (the driver's {@code maxAllowedPacket})
     * @param serverFlavour     the nodes' server, which names the session variable of its own statement time limit
     */
    @ConfigurationProperties("database")
    public record Database(@NotBlank String username, @NotNull String password,
                           @Min(1) int poolSize,
                           @NotNull Duration connectionTimeout,
                           @NotNull Duration queryTimeout,
                           @Min(1) int maxRows,
                           @ReadableBytes @Min(65536) long maxResultBytes,
                           @NotNull ServerFlavour serverFlavour) {
    }

    /** The nodes' database server: MariaDB (Galera, the local cluster) or MySQL (NDB's SQL nodes in Kubernetes). */
    public enum ServerFlavour {
        MARIADB, MYSQL
    }

    /**
     * The background health monitor, with its own least-privileged user.
     *
     * @param interval         time between two pings of a node
     * @param timeout          longest a ping may take before it counts as failed
     * @param failureThreshold consecutive failed pings that take a node out (a connection that cannot be made, or a
     *                         node that says it cannot serve, takes it out at once)
     * @param recoveryThreshold consecutive good pings that bring back a node that was out
     * @param maxReceiveQueue  Galera write sets a node may have waiting to be applied ({@code wsrep_local_recv_queue})
     *                         and still serve reads chosen by strategy; above it the node's strategy reads pause until it catches up
     * @param smoothing        weight of the newest ping in the smoothed latency (EWMA)
     * @param saturationThreshold how long the writer's pool may have no free connection before readiness says DOWN
     */
    @ConfigurationProperties("monitor")
    public record Monitor(@NotBlank String username, @NotNull String password,
                          @NotNull Duration interval,
                          @NotNull Duration timeout,
                          @Min(1) int failureThreshold,
                          @Min(1) int recoveryThreshold,
                          @Min(0) long maxReceiveQueue,
                          @DecimalMin("0.01") @DecimalMax("1.0") double smoothing,
                          @NotNull Duration saturationThreshold) {
    }

    /**
     * Which node takes the writes (see {@code WriterElection}).
     *
     * @param preferred the node that is the writer whenever it is healthy at election time; by default the first
     *                  writable node by name
     * @param failback  whether writes move back to the preferred node when it is healthy again; off by default, so
     *                  that writes move once per failure, not twice
     */
    @ConfigurationProperties("writer")
    public record Writer(@Nullable String preferred, boolean failback) {
    }

    /**
     * What one API key may hold at once (see {@code KeyBulkheads}).
     *
     * @param readerInFlight statements a reader key may have in flight
     * @param writerInFlight statements a writer key may have in flight
     * @param nodeShare      share of a node's pool one key may hold at most, whatever its role's limit
     * @param statementTimePerKey time a key's statements may run on the nodes per second, on average, counted
     *                            only while the node answers (see {@code NodeProgress})
     * @param statementTimeBurst  time a key's statements may run at once after it was idle: the longest statement
     *                            such a key can run
     */
    @ConfigurationProperties("limits")
    public record Limits(@Min(1) int readerInFlight, @Min(1) int writerInFlight,
                         @DecimalMin("0.01") @DecimalMax("1.0") double nodeShare,
                         @NotNull Duration statementTimePerKey, @NotNull Duration statementTimeBurst) {
    }

    /**
     * The audit ledger ({@code io.sqlgate.proxy.audit.AuditLedger}).
     *
     * @param enabled      whether every write is recorded, in its own transaction, in {@code sqlgate_audit.write_entry};
     *                     on by default; off, writes run in auto-commit and nothing is recorded
     * @param recordParams whether an entry keeps the write's bound values (as JSON); off by default, since values
     *                     may be personal data: the entry keeps the statement's digest text, without its values
     */
    @ConfigurationProperties("audit")
    public record Audit(boolean enabled, boolean recordParams) {
    }

    /**
     * Per-digest statistics ({@code io.sqlgate.proxy.stats.DigestStatistics}, {@code GET /stats/digests}).
     *
     * @param maxDigests    digests kept at most, the most used (memory: at most this many times 4 KB of text; a new
     *                      digest, when they are all taken, costs a scan of them all, hence the bound)
     * @param prometheusTop digests, the costliest by total time, also published as {@code sqlgate_digest_*} gauges
     * @param enabled       whether they are kept: off only to measure what keeping them costs ({@code bin/bench-chain})
     */
    @ConfigurationProperties("statistics")
    public record Statistics(@Min(1) @Max(10_000) int maxDigests, @Min(0) @Max(100) int prometheusTop,
                             @io.micronaut.core.bind.annotation.Bindable(defaultValue = "true") boolean enabled) {
    }

    /**
     * @param exploration share of customized reads sent to a node other than the fastest, so that every
     *                    node keeps being used and its figures stay honest
     */
    @ConfigurationProperties("routing")
    public record Routing(@DecimalMin("0.0") @DecimalMax("0.5") double exploration) {
    }
}
