package io.sqlgate.proxy.stats;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestStatisticsTest {
    private static final String POINT_READ = "SELECT id, column1 FROM direct_table WHERE id = ?";
    private static final String INSERT = "INSERT INTO direct_table(column1, column2) VALUES (...)";

    @Test
    void eachDigestHasItsCountErrorsRowsLatenciesNodesAndStrategies() {
        DigestStatistics statistics = new DigestStatistics(100, 10, new SimpleMeterRegistry());
        statistics.record(POINT_READ, "node2", "random", 1, 2_000_000, false);
        statistics.record(POINT_READ, "node3", "customized", 0, 4_000_000, false);
        statistics.record(POINT_READ, null, null, 0, 1_000_000, true);
        statistics.record(INSERT, "node1", "writer", 3, 9_000_000, false);

        List<DigestStatistics.DigestFigures> all = statistics.byTotalTime();
        assertEquals(List.of(INSERT, POINT_READ), all.stream().map(DigestStatistics.DigestFigures::text).toList(),
                "the costliest first: 9 ms against 7 ms");
        DigestStatistics.DigestFigures read = all.get(1);
        assertEquals(3, read.count());
        assertEquals(1, read.errors());
        assertEquals(1, read.rows());
        assertEquals(7.0, read.totalMs(), 1e-9);
        assertEquals(1.0, read.minMs(), 1e-9);
        assertEquals(4.0, read.maxMs(), 1e-9);
        assertEquals(List.of("node2", "node3"), read.nodes());
        assertEquals(List.of("customized", "random"), read.strategies());
        assertEquals(16, read.digest().length());
        assertTrue(!read.lastSeen().isBefore(read.firstSeen()));
    }

    @Test
    void aFloodOfDistinctStatementsStaysWithinTheBoundAndKeepsTheFrequentOnes() {
        int bound = 50;
        DigestStatistics statistics = new DigestStatistics(bound, 10, new SimpleMeterRegistry());
        for (int round = 0; round < 20; round++) {
            statistics.record(POINT_READ, "node2", "random", 1, 1_000, false);
        }
        String longDigest = "SELECT " + "c, ".repeat(10_000) + "c FROM direct_table";
        for (int i = 0; i < 100_000; i++) {
            statistics.record("SELECT c" + i + " FROM direct_table", "node2", "random", 1, 1_000, false);
            statistics.record(longDigest + i, "node2", "random", 1, 1_000, false);
            if (i % 1000 == 0) {
                statistics.record(POINT_READ, "node2", "random", 1, 1_000, false);
            }
        }
        List<DigestStatistics.DigestFigures> kept = statistics.byTotalTime();
        assertTrue(kept.size() <= bound, kept.size() + " digests kept");
        assertTrue(kept.stream().allMatch(d -> d.text().length() <= DigestStatistics.MAX_TEXT), "long texts are cut");
        assertTrue(kept.stream().anyMatch(d -> d.text().equals(POINT_READ) && d.count() == 120),
                "the frequent digest stays, with all its statements counted");
    }
}
