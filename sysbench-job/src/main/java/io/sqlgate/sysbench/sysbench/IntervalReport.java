package io.sqlgate.sysbench.sysbench;

/**
 * One line of sysbench's {@code --report-interval} output:
 * {@code [ 5s ] thds: 4 tps: 281.71 qps: 5652.21 (r/w/o: 3957.95/1128.84/565.42) lat (ms,95%): 12.30 err/s: 0.00 reconn/s: 0.00}.
 *
 * @param second the end of the interval, in seconds since the run started
 */
public record IntervalReport(
        int second,
        int threads,
        double tps,
        double qps,
        double readQps,
        double writeQps,
        double otherQps,
        double latencyP95Ms,
        double errorsPerSecond,
        double reconnectsPerSecond) {
}
