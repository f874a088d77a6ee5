package io.sqlgate.reliability;

import io.sqlgate.testkit.LocalCluster;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy's reading of a statement against the server's own, on the test cluster: for every generated or
 * mutated statement the policy accepts, the tables and functions MariaDB reads (EXPLAIN EXTENDED) are among
 * those the policy saw and allowed, for the client's text and for the canonical text run in its place, and
 * the two return the same rows. The longer run is {@code bin/fault-suite --hostile} (its differential part).
 */
class DifferentialIT {
    private static final int COUNT = 3_000;
    private static final long SEED = 20261202L;

    @Test
    void theServerReadsNoTableOrFunctionThePolicyDidNotSeeAndAllow() throws Exception {
        LocalCluster cluster = LocalCluster.fromEnvironment();
        cluster.requireRunning();
        List<String> statements = DifferentialCorpus.generate(SEED, COUNT);
        DifferentialCheck.Result result;
        try (Connection connection = cluster.connect("node1")) {
            result = new DifferentialCheck().run(connection, statements);
        }
        System.out.println(result.report());
        assertEquals(List.of(), result.findings(), result.report());
        // The control: enough statements reached the comparison for it to mean something, of both kinds.
        assertTrue(result.accepted() >= COUNT / 3, result.report());
        assertTrue(result.reads() >= COUNT / 5 && result.writes() >= COUNT / 20, result.report());
        assertTrue(result.serverRefused() <= result.accepted() / 8, result.report());
        assertTrue(result.nonEmptyReads() >= result.reads() / 3, "reads compared real rows: " + result.report());
    }
}
