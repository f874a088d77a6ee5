package io.sqlgate.proxy.limits;

import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The time each node has spent answering: a clock per node that runs while statements run on it and it answers
 * (one of them finished, or the first started, within the last {@link #STALL}), and stops while it answers none.
 * A key's statement time is read on its node's clock ({@link KeyBulkheads}): a node busy with one key's costly
 * statements while it answers the others, however slowly, charges that key every second; a node that answers no one
 * (a Galera cluster holding every statement while it decides that a peer is gone, a node that stopped reading its
 * socket) charges no key for the wait, which is nobody's doing. The monitor's pings do not count: a node can answer
 * them, which wait for nothing, while it holds every statement.
 */
@Singleton
public final class NodeProgress {
    /** How long a node may answer nothing before it counts as stalled: several ordinary answers, under one ping interval. */
    static final Duration STALL = Duration.ofSeconds(1);

    private final Map<String, Clock> clocks = new ConcurrentHashMap<>();

    /** A statement starts on the node. @return the node's clock, in nanoseconds */
    public long started(String node, long now) {
        return clock(node).started(now);
    }

    /** A statement on the node finished, answered or failed. @return the node's clock, in nanoseconds */
    public long finished(String node, long now) {
        return clock(node).finished(now);
    }

    /** @return the node's clock, in nanoseconds */
    public long read(String node, long now) {
        return clock(node).read(now);
    }

    private Clock clock(String node) {
        return clocks.computeIfAbsent(node, name -> new Clock(STALL.toNanos(), System.nanoTime()));
    }

    /** One node's clock; times are {@link System#nanoTime()} readings, which may reach it slightly out of order. */
    static final class Clock {
        private final long stallNanos;
        private int running;
        private long answeredNanos;
        private long tickNanos;
        private long clockNanos;

        Clock(long stallNanos, long now) {
            this.stallNanos = stallNanos;
            this.answeredNanos = now;
            this.tickNanos = now;
        }

        synchronized long started(long now) {
            advance(now);
            if (running++ == 0) {
                // an idle node has not stalled: its silence so far was that nobody asked it anything
                answeredNanos = later(answeredNanos, now);
            }
            return clockNanos;
        }

        synchronized long finished(long now) {
            advance(now);
            running = Math.max(0, running - 1);
            answeredNanos = later(answeredNanos, now);
            return clockNanos;
        }

        synchronized long read(long now) {
            advance(now);
            return clockNanos;
        }

        private static long later(long a, long b) {
            return b - a > 0 ? b : a;
        }

        private void advance(long now) {
            if (now - tickNanos <= 0) {
                return;
            }
            if (running > 0) {
                // nanoTime readings are compared by difference: they may be negative and wrap
                long answering = Math.min(now - tickNanos, answeredNanos + stallNanos - tickNanos);
                if (answering > 0) {
                    clockNanos += answering;
                }
            }
            tickNanos = now;
        }
    }
}
