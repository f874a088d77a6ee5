package io.sqlgate.http.policy;

import io.micronaut.context.annotation.Context;
import io.micronaut.http.HttpStatus;
import io.sqlgate.http.ApiException;
import io.sqlgate.http.TimeBudget;
import io.sqlgate.sql.ParsedStatement;
import io.sqlgate.sql.SqlParser;
import jakarta.annotation.PreDestroy;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parses statements off the event loop, within bounds no client can stretch. A statement of a digest known
 * already is a lookup, on the calling thread. Any other is parsed on a small pool of parser threads with a bounded queue: a full
 * queue is a 503 OVERLOADED at once, never a wait. Each key has a {@link TimeBudget} of parser time, refilled at
 * {@code time-per-key} per second: what a parse took is charged to its key, and a key whose budget is spent gets
 * 429 PARSE_BUDGET_EXHAUSTED until it refills. Statements refused for their cost
 * are remembered by their digest (see {@link SqlParser}), so a key repeating one spends nothing more. Every tier
 * parses this way; behind the gatekeeper the key is the one it signed into the request.
 */
@Context
public final class StatementChecker implements AutoCloseable {
    private final ThreadPoolExecutor parsers;
    private final Map<String, TimeBudget> budgets = new ConcurrentHashMap<>();
    private final ParsingConfiguration configuration;

    public StatementChecker(ParsingConfiguration configuration) {
        this.configuration = configuration;
        AtomicInteger number = new AtomicInteger();
        this.parsers = new ThreadPoolExecutor(configuration.threads(), configuration.threads(), 0, TimeUnit.SECONDS,
                configuration.queue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(configuration.queue()), work -> {
                    // Parsing recurses as deep as the statement: the lexer's bounds keep it well within 4 MB of stack.
                    Thread thread = new Thread(null, work, "parser-" + number.incrementAndGet(), 4L << 20);
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** @return the parsed statement, or a future that fails with the statement's refusal or a 429/503 */
    public CompletableFuture<ParsedStatement> parse(String keyName, String sql) {
        ParsedStatement known = SqlParser.known(sql);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        TimeBudget budget = budgets.computeIfAbsent(keyName, name -> new TimeBudget(configuration.timePerKey(),
                configuration.burstPerKey()));
        long available = budget.availableMicros();
        if (available <= 0) {
            long seconds = budget.secondsUntilAvailable(available);
            return CompletableFuture.failedFuture(ApiException.retryLater(HttpStatus.TOO_MANY_REQUESTS, "PARSE_BUDGET_EXHAUSTED",
                    "Key '" + keyName + "' used its parser time (" + configuration.timePerKey().toMillis()
                            + " ms per second); retry in " + seconds + " s, or send statements that are quicker to check", seconds));
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                long started = System.nanoTime();
                try {
                    return SqlParser.parse(sql);
                } finally {
                    budget.charge((System.nanoTime() - started) / 1000);
                }
            }, parsers);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(ApiException.retryLater(HttpStatus.SERVICE_UNAVAILABLE, "OVERLOADED",
                    "This tier has more statements to check than it takes at once; retry in 1 s", 1));
        }
    }

    /** Parser threads at work now. */
    int busyParsers() {
        return parsers.getActiveCount();
    }

    @PreDestroy
    @Override
    public void close() {
        parsers.shutdownNow();
    }
}
