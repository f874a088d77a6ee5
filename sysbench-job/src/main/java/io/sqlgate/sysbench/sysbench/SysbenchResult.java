package io.sqlgate.sysbench.sysbench;

import java.util.List;

/**
 * The statistics sysbench 1.0.x prints at the end of a run, typed. Rates by query kind are the counts
 * divided by the total time, as sysbench computes its own rates.
 *
 * @param tps             transactions per second
 * @param qps             queries per second
 * @param intervals       the {@code --report-interval} series, empty when reports were off
 */
public record SysbenchResult(
        String sysbenchVersion,
        int threads,
        QueryCounts queryCounts,
        long transactions,
        double tps,
        long queries,
        double qps,
        double readQps,
        double writeQps,
        double otherQps,
        long ignoredErrors,
        double ignoredErrorsPerSecond,
        long reconnects,
        double reconnectsPerSecond,
        double totalTimeSeconds,
        long totalEvents,
        Latency latency,
        ThreadsFairness threadsFairness,
        List<IntervalReport> intervals) {

    public SysbenchResult {
        intervals = List.copyOf(intervals);
    }

    /** Queries performed, by the kind sysbench counts them as. */
    public record QueryCounts(long read, long write, long other, long total) {
    }

    /** Transaction latency in milliseconds; {@code p95Ms} is sysbench's 95th percentile. */
    public record Latency(double minMs, double avgMs, double maxMs, double p95Ms, double sumMs) {
    }

    /** How evenly the threads shared the work. */
    public record ThreadsFairness(double eventsAvg, double eventsStddev, double executionTimeAvgSeconds,
                                  double executionTimeStddevSeconds) {
    }
}
