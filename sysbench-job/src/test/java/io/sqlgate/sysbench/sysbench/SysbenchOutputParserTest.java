package io.sqlgate.sysbench.sysbench;

import static io.sqlgate.sysbench.Fixtures.sysbenchOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SysbenchOutputParserTest {

    private static final double EXACT = 1e-9;

    @Test
    void parsesEveryFieldOfARunWithIntervalReports() {
        SysbenchResult r = SysbenchOutputParser.parseRun(sysbenchOutput("run-standalone-intervals.txt"));

        assertEquals("1.0.20", r.sysbenchVersion());
        assertEquals(2, r.threads());
        assertEquals(new SysbenchResult.QueryCounts(18830, 5378, 2689, 26897), r.queryCounts());
        assertEquals(1344, r.transactions());
        assertEquals(268.26, r.tps(), EXACT);
        assertEquals(26897, r.queries());
        assertEquals(5368.60, r.qps(), EXACT);
        assertEquals(18830 / 5.0096, r.readQps(), EXACT);
        assertEquals(5378 / 5.0096, r.writeQps(), EXACT);
        assertEquals(2689 / 5.0096, r.otherQps(), EXACT);
        assertEquals(1, r.ignoredErrors());
        assertEquals(0.20, r.ignoredErrorsPerSecond(), EXACT);
        assertEquals(0, r.reconnects());
        assertEquals(0.0, r.reconnectsPerSecond(), EXACT);
        assertEquals(5.0096, r.totalTimeSeconds(), EXACT);
        assertEquals(1344, r.totalEvents());
        assertEquals(new SysbenchResult.Latency(1.90, 7.44, 24.08, 13.22, 9998.14), r.latency());
        assertEquals(new SysbenchResult.ThreadsFairness(672.0, 38.00, 4.9991, 0.0), r.threadsFairness());

        assertEquals(List.of(
                new IntervalReport(1, 2, 281.71, 5652.21, 3957.95, 1128.84, 565.42, 12.30, 0.00, 0.00),
                new IntervalReport(2, 2, 298.83, 5994.62, 4197.63, 1199.32, 597.66, 11.24, 0.00, 0.00),
                new IntervalReport(3, 2, 260.24, 5219.75, 3657.33, 1040.95, 521.47, 12.98, 1.00, 0.00),
                new IntervalReport(4, 2, 233.98, 4674.50, 3272.65, 933.90, 467.95, 15.55, 0.00, 0.00),
                new IntervalReport(5, 2, 267.03, 5340.68, 3736.48, 1070.14, 534.07, 12.30, 0.00, 0.00)),
                r.intervals());
    }

    @Test
    void parsesARunWithManyIgnoredErrors() {
        SysbenchResult r = SysbenchOutputParser.parseRun(sysbenchOutput("run-galera-all-errors.txt"));

        assertEquals(4, r.threads());
        assertEquals(new SysbenchResult.QueryCounts(32424, 8354, 4627, 45405), r.queryCounts());
        assertEquals(1705, r.transactions());
        assertEquals(212.71, r.tps(), EXACT);
        assertEquals(45405, r.queries());
        assertEquals(5664.50, r.qps(), EXACT);
        assertEquals(611, r.ignoredErrors());
        assertEquals(76.23, r.ignoredErrorsPerSecond(), EXACT);
        assertEquals(0, r.reconnects());
        assertEquals(0.0, r.reconnectsPerSecond(), EXACT);
        assertEquals(8.0152, r.totalTimeSeconds(), EXACT);
        assertEquals(1705, r.totalEvents());
        assertEquals(new SysbenchResult.Latency(2.87, 18.78, 150.87, 47.47, 32019.89), r.latency());
        assertEquals(new SysbenchResult.ThreadsFairness(426.25, 38.42, 8.0050, 0.0), r.threadsFairness());
        assertEquals(List.of(101.89, 75.99, 66.01, 61.51),
                r.intervals().stream().map(IntervalReport::errorsPerSecond).toList());
        assertEquals(new IntervalReport(8, 4, 193.02, 5003.09, 3562.42, 957.61, 483.06, 51.02, 61.51, 0.00),
                r.intervals().get(3));
    }

    @Test
    void parsesReconnects() {
        SysbenchResult r = SysbenchOutputParser.parseRun(sysbenchOutput("run-galera-all-reconnects-edited.txt"));

        assertEquals(4, r.reconnects());
        assertEquals(0.50, r.reconnectsPerSecond(), EXACT);
        assertEquals(611, r.ignoredErrors());
        assertEquals(List.of(0.0, 1.50, 0.50, 0.0),
                r.intervals().stream().map(IntervalReport::reconnectsPerSecond).toList());
    }

    @Test
    void skipsRateLimitQueueLines() {
        SysbenchResult r = SysbenchOutputParser.parseRun(sysbenchOutput("run-standalone-rate-limited.txt"));

        assertEquals(List.of(1, 2, 3, 4), r.intervals().stream().map(IntervalReport::second).toList());
        assertEquals(List.of(111.86, 108.06, 105.01, 85.00), r.intervals().stream().map(IntervalReport::tps).toList());
        assertEquals(410, r.transactions());
        assertEquals(102.41, r.tps(), EXACT);
        assertEquals(new SysbenchResult.QueryCounts(5740, 1640, 820, 8200), r.queryCounts());
        assertEquals(2048.20, r.qps(), EXACT);
        assertEquals(new SysbenchResult.Latency(1.91, 5.35, 19.36, 11.65, 2193.43), r.latency());
        assertEquals(new SysbenchResult.ThreadsFairness(205.0, 3.00, 1.0967, 0.0), r.threadsFairness());
    }

    @Test
    void parsesTheOriginalComparisonsShapeCapturedHere() {
        SysbenchResult r = SysbenchOutputParser.parseRun(sysbenchOutput("run-original-shape-standalone.txt"));

        assertEquals(4, r.threads());
        assertEquals(new SysbenchResult.QueryCounts(280406, 80116, 40058, 400580), r.queryCounts());
        assertEquals(20029, r.transactions());
        assertEquals(333.72, r.tps(), EXACT);
        assertEquals(400580, r.queries());
        assertEquals(6674.42, r.qps(), EXACT);
        assertEquals(0, r.ignoredErrors());
        assertEquals(0, r.reconnects());
        assertEquals(60.0166, r.totalTimeSeconds(), EXACT);
        assertEquals(20029, r.totalEvents());
        assertEquals(new SysbenchResult.Latency(1.87, 11.98, 340.40, 24.38, 239943.76), r.latency());
        assertEquals(new SysbenchResult.ThreadsFairness(5007.25, 145.43, 59.9859, 0.01), r.threadsFairness());
        assertTrue(r.intervals().isEmpty(), "no --report-interval, no series");
    }

    @Test
    void parsesTheOriginalsPublishedFigures() {
        SysbenchResult standalone = SysbenchOutputParser.parseRun(sysbenchOutput("original-published-standalone.txt"));
        SysbenchResult cluster = SysbenchOutputParser.parseRun(sysbenchOutput("original-published-cluster.txt"));

        assertEquals(317.69, standalone.tps(), EXACT);
        assertEquals(6353.72, standalone.qps(), EXACT);
        assertEquals(12.59, standalone.latency().avgMs(), EXACT);
        assertEquals(16.71, standalone.latency().p95Ms(), EXACT);
        assertEquals(19062, standalone.transactions());
        assertEquals(new SysbenchResult.QueryCounts(266868, 76248, 38124, 381240), standalone.queryCounts());
        assertEquals(60.0026, standalone.totalTimeSeconds(), EXACT);

        assertEquals(220.94, cluster.tps(), EXACT);
        assertEquals(4418.73, cluster.qps(), EXACT);
        assertEquals(18.10, cluster.latency().avgMs(), EXACT);
        assertEquals(26.68, cluster.latency().p95Ms(), EXACT);
        assertEquals(13257, cluster.transactions());
        assertEquals(new SysbenchResult.QueryCounts(185598, 53028, 26514, 265140), cluster.queryCounts());
        assertEquals(60.0036, cluster.totalTimeSeconds(), EXACT);
        // the layout's derived figures agree with the published rates
        assertEquals(standalone.tps(), standalone.transactions() / standalone.totalTimeSeconds(), 0.005);
        assertEquals(cluster.qps(), cluster.queries() / cluster.totalTimeSeconds(), 0.005);
    }

    @ParameterizedTest
    @ValueSource(strings = {"run-crashed-on-reconnect.txt", "run-server-gone-away.txt", "prepare-access-denied.txt"})
    void aRunWithoutSummaryIsAnErrorNotZeros(String fixture) {
        SysbenchOutputException e = assertThrows(SysbenchOutputException.class,
                () -> SysbenchOutputParser.parseRun(sysbenchOutput(fixture)));
        assertTrue(e.getMessage().contains("no complete summary"), e.getMessage());
        assertTrue(e.getMessage().contains("transactions"), e.getMessage());
    }

    @Test
    void keepsTheIntervalsPrintedBeforeACrash() {
        String output = sysbenchOutput("run-crashed-on-reconnect.txt");
        List<IntervalReport> intervals = output.lines().map(SysbenchOutputParser::parseInterval)
                .flatMap(Optional::stream).toList();
        assertEquals(List.of(new IntervalReport(1, 2, 234.70, 4740.99, 3323.79, 944.80, 472.40, 14.46, 1.00, 0.00)),
                intervals);
    }

    @Test
    void parsesIntervalLinesOnly() {
        assertTrue(SysbenchOutputParser.parseInterval("[ 2s ] queue length: 0, concurrency: 1").isEmpty());
        assertTrue(SysbenchOutputParser.parseInterval("Threads started!").isEmpty());
        assertTrue(SysbenchOutputParser.parseInterval("").isEmpty());
        IntervalReport wide = SysbenchOutputParser.parseInterval(
                "[ 120s ] thds: 16 tps: 0.00 qps: 0.00 (r/w/o: 0.00/0.00/0.00) lat (ms,95%): 0.00 err/s: 0.00 reconn/s: 0.00")
                .orElseThrow();
        assertEquals(120, wide.second());
        assertEquals(16, wide.threads());
        assertEquals(0.0, wide.tps(), EXACT);
    }

    @Test
    void readsNanAsNotANumber() {
        String output = sysbenchOutput("run-standalone-intervals.txt")
                .replace("events (avg/stddev):           672.0000/38.00", "events (avg/stddev):           672.0000/-nan");
        SysbenchResult r = SysbenchOutputParser.parseRun(output);
        assertTrue(Double.isNaN(r.threadsFairness().eventsStddev()));
        assertEquals(672.0, r.threadsFairness().eventsAvg(), EXACT);
    }

    @Test
    void readsTheVersionFromTheBanner() {
        assertEquals(Optional.of("1.0.20"), SysbenchOutputParser.parseVersion(sysbenchOutput("prepare-access-denied.txt")));
        assertEquals(Optional.empty(), SysbenchOutputParser.parseVersion("no banner here"));
    }
}
