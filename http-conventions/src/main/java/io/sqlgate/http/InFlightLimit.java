package io.sqlgate.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Sheds load before memory, threads or pools run out: at most {@code sqlgate.server.max-in-flight} requests are
 * worked on at once by this tier; one more is answered 503 OVERLOADED with Retry-After at once. A request takes
 * its place in the tier's handler, once its body has arrived, so that requests that are sent slowly or never
 * finished hold a connection (until {@code micronaut.server.idle-timeout}) but no place. Health probes and
 * metrics scrapes never take one. The count is the gauge {@code sqlgate.http.in_flight}, there from start-up.
 */
@Context
public final class InFlightLimit {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int limit;

    public InFlightLimit(@Value("${sqlgate.server.max-in-flight:256}") int limit, MeterRegistry meters) {
        if (limit < 1) {
            throw new IllegalArgumentException("sqlgate.server.max-in-flight must be at least 1, got " + limit);
        }
        this.limit = limit;
        Gauge.builder("sqlgate.http.in_flight", inFlight, AtomicInteger::get)
                .description("Requests this tier is working on").register(meters);
    }

    /** @throws ApiException 503 OVERLOADED when the tier has its limit in flight already */
    public Permit enter() {
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            throw ApiException.retryLater(HttpStatus.SERVICE_UNAVAILABLE, "OVERLOADED", "This tier is working on " + limit
                    + " requests already, its limit; retry in 1 s", 1);
        }
        return Permit.of(inFlight::decrementAndGet);
    }

    /** Runs asynchronous work in a place of its own, given back when the work's future completes, however. */
    public <T> CompletableFuture<T> around(Supplier<CompletableFuture<T>> work) {
        Permit permit = enter();
        CompletableFuture<T> future;
        try {
            future = work.get();
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
        return future.whenComplete((result, failure) -> permit.close());
    }
}
