package io.sqlgate.proxy.limits;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpStatus;
import io.sqlgate.http.ApiException;
import io.sqlgate.http.Permit;
import io.sqlgate.http.TimeBudget;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.proxy.ProxyConfiguration;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What each API key may take of the proxy and the nodes at once. Two bounds, each answered 429 with Retry-After
 * at once, never a queue:
 * <ul>
 *   <li><b>Statements in flight</b>: no more than the key's role allows, and never more than {@code node-share} of
 *   a node's pool, so that others always find connections (CONCURRENCY_LIMITED).</li>
 *   <li><b>Statement time</b>: a {@link TimeBudget} of the time the key's statements run on the nodes, refilled at
 *   {@code statement-time-per-key} per second up to {@code statement-time-burst}. A statement is charged the time
 *   it runs while its node answers ({@link NodeProgress}: a stalled node charges no one); a key whose budget, less what its running statements have used so far, is spent gets
 *   STATEMENT_TIME_EXHAUSTED, and its running statements are cancelled (KILL QUERY) and answered so: a key cannot
 *   keep a node's cores busy with statements that run to the time limit.</li>
 * </ul>
 * The key and its role are those the gatekeeper signed into the request; a request without them counts as the key
 * {@value #UNNAMED} with a reader's limit. Each key's statements in flight are the gauge
 * {@code sqlgate.proxy.key_in_flight{key}}.
 */
@Singleton
public final class KeyBulkheads implements AutoCloseable {
    static final String UNNAMED = "-";
    private static final Logger LOG = LoggerFactory.getLogger(KeyBulkheads.class);
    private static final long WATCH_MILLIS = 50;
    /** What opening a connection in place of a dropped one costs, counted as statement time: TLS aside, ~50 ms. */
    static final Duration RECONNECT_COST = Duration.ofMillis(50);
    /** Searches of the audit ledger an auditor's key runs at once, at most: each holds one of the writer's connections. */
    static final int AUDITOR_IN_FLIGHT = 2;
    /** MariaDB's ER_NO_SUCH_THREAD, the answer to a KILL QUERY for a connection that is gone. */
    private static final int NO_SUCH_THREAD = 1094;

    private final Map<String, KeyState> keys = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final NodeProgress progress;
    private final int readerLimit;
    private final int writerLimit;
    private final Duration statementTimePerKey;
    private final Duration statementTimeBurst;
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(work -> {
        Thread thread = new Thread(work, "statement-time-watch");
        thread.setDaemon(true);
        return thread;
    });

    /** One key's leases in flight and its budget. */
    private static final class KeyState {
        final Set<Lease> leases = ConcurrentHashMap.newKeySet();
        final TimeBudget budget;

        KeyState(TimeBudget budget) {
            this.budget = budget;
        }

        /** The budget less what the running statements have used so far, in microseconds. */
        long available(long now) {
            long running = 0;
            for (Lease lease : leases) {
                running += lease.runningMicros(now);
            }
            return budget.availableMicros() - running;
        }
    }

    public KeyBulkheads(ProxyConfiguration configuration, NodeProgress progress, MeterRegistry meters) {
        this.meters = meters;
        this.progress = progress;
        ProxyConfiguration.Limits limits = configuration.limits();
        int share = Math.max(1, (int) Math.floor(limits.nodeShare() * configuration.database().poolSize()));
        this.readerLimit = Math.min(limits.readerInFlight(), share);
        this.writerLimit = Math.min(limits.writerInFlight(), share);
        this.statementTimePerKey = limits.statementTimePerKey();
        this.statementTimeBurst = limits.statementTimeBurst();
        watch.scheduleWithFixedDelay(this::cancelOverBudget, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * A statement of one key, from before it takes a connection to its answer. The executor says when the statement
     * runs on a node ({@link #running}, {@link #finished}); closing the lease charges that time to the key.
     */
    public final class Lease implements Permit {
        private final String key;
        private final KeyState state;
        private final Permit release = Permit.of(this::release);
        private volatile Statement statement;
        private volatile String node;
        private volatile long startedClock;
        private volatile long ranMicros;
        private volatile boolean cancelled;

        private Lease(String key, KeyState state) {
            this.key = key;
            this.state = state;
        }

        /** The statement now runs on the node, and may be cancelled there when the key's budget is spent. */
        public synchronized void running(String onNode, Statement running) {
            node = onNode;
            startedClock = progress.started(onNode, System.nanoTime());
            statement = running;
        }

        // Synchronised with cancel: once finished returns, the connection may go to another key's statement, and a
        // cancel (KILL QUERY on the connection) must never reach that one.
        public synchronized void finished() {
            Statement ran = statement;
            if (ran != null) {
                statement = null;
                ranMicros += (progress.finished(node, System.nanoTime()) - startedClock) / 1000;
            }
        }

        /**
         * The statement's connection had to be dropped (a result over the limit, a read that failed): the key pays
         * what a new one costs the node and the proxy, {@link #RECONNECT_COST}, on top of the time the statement ran.
         */
        public void connectionDropped() {
            ranMicros += RECONNECT_COST.toNanos() / 1000;
        }

        /** @return true when the key's budget ran out while the statement ran, and it was cancelled for it */
        public boolean cancelledForBudget() {
            return cancelled;
        }

        /** The answer for a statement cancelled because its key's budget ran out. */
        public ApiException exhausted() {
            return KeyBulkheads.this.exhausted(key, state);
        }

        long runningMicros(long now) {
            return statement == null ? 0 : (progress.read(node, now) - startedClock) / 1000;
        }

        synchronized void cancel() {
            Statement running = statement;
            if (running != null && !cancelled) {
                cancelled = true;
                try {
                    running.cancel();
                } catch (SQLException e) {
                    if (e.getErrorCode() == NO_SUCH_THREAD) {
                        // the statement ended, and its connection went, between the watch's look and the KILL
                        LOG.debug("A statement of key {} had ended before its cancel", key);
                    } else {
                        LOG.warn("Cancelling a statement of key {} failed: {}", key, e.toString());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Cancelling a statement of key {} failed: {}", key, e.toString());
                }
            }
        }

        @Override
        public void close() {
            release.close();
        }

        private void release() {
            finished();
            state.leases.remove(this);
            state.budget.charge(ranMicros);
        }
    }

    /** @throws ApiException 429 CONCURRENCY_LIMITED or STATEMENT_TIME_EXHAUSTED when the key may not start one more */
    public Lease enter(QueryRequest request) {
        String key = request.key() == null ? UNNAMED : request.key();
        int limit = "writer".equals(request.role()) ? writerLimit
                : "auditor".equals(request.role()) ? Math.min(AUDITOR_IN_FLIGHT, readerLimit) : readerLimit;
        KeyState state = keys.computeIfAbsent(key, this::newState);
        if (state.available(System.nanoTime()) <= 0) {
            throw exhausted(key, state);
        }
        Lease lease = new Lease(key, state);
        state.leases.add(lease);
        if (state.leases.size() > limit) {
            state.leases.remove(lease);
            throw ApiException.retryLater(HttpStatus.TOO_MANY_REQUESTS, "CONCURRENCY_LIMITED", "Key '" + key + "' has " + limit
                    + " statements in flight already, its limit; retry in 1 s", 1);
        }
        return lease;
    }

    private ApiException exhausted(String key, KeyState state) {
        long seconds = state.budget.secondsUntilAvailable(state.available(System.nanoTime()));
        return ApiException.retryLater(HttpStatus.TOO_MANY_REQUESTS, "STATEMENT_TIME_EXHAUSTED", "Key '" + key
                + "' used its statement time on the nodes (" + statementTimePerKey.toMillis() + " ms per second, "
                + statementTimeBurst.toMillis() + " ms at once); retry in " + seconds + " s", seconds);
    }

    private void cancelOverBudget() {
        long now = System.nanoTime();
        keys.forEach((key, state) -> {
            if (!state.leases.isEmpty() && state.available(now) < 0) {
                state.leases.forEach(Lease::cancel);
            }
        });
    }

    private KeyState newState(String key) {
        KeyState state = new KeyState(new TimeBudget(statementTimePerKey, statementTimeBurst));
        Gauge.builder("sqlgate.proxy.key_in_flight", state, s -> s.leases.size()).tag("key", key)
                .description("Statements in flight in the proxy for each API key").register(meters);
        return state;
    }

    @PreDestroy
    @Override
    public void close() {
        watch.shutdownNow();
    }
}
