package io.sqlgate.sysbench.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadAndTargetTest {

    @Test
    void theDefaultsAreTheOriginalComparisons() {
        assertEquals("oltp_read_write", Workload.DEFAULT_NAME);
        assertEquals(10, Workload.DEFAULT_TABLES);
        assertEquals(10_000, Workload.DEFAULT_TABLE_SIZE);
        assertEquals(4, Workload.DEFAULT_THREADS);
        assertEquals(60, Workload.DEFAULT_TIME_SECONDS);
    }

    @Test
    void namesTheTablesTheOltpWorkloadsCreate() {
        assertEquals(List.of("sbtest1", "sbtest2", "sbtest3"),
                new Workload("oltp_read_write", 3, 10, 1, 1, 0, null, List.of()).tableNames());
    }

    @Test
    void rejectsWorkloadsThatCannotBeCompared() {
        assertThrows(IllegalArgumentException.class, () -> workload(0, 1, "all", List.of()));
        assertThrows(IllegalArgumentException.class, () -> workload(1, 0, "all", List.of()));
        assertThrows(IllegalArgumentException.class, () -> workload(1, 1, "1213;drop", List.of()));
        assertThrows(IllegalArgumentException.class, () -> workload(1, 1, null, List.of("--mysql-password=x")));
        assertThrows(IllegalArgumentException.class, () -> workload(1, 1, null, List.of("--percentile=99")));
        assertThrows(IllegalArgumentException.class, () -> workload(1, 1, null, List.of("rand-type=uniform")));
        assertThrows(IllegalArgumentException.class,
                () -> new Workload("oltp_read_write; rm -rf /", 1, 1, 1, 1, 0, null, List.of()));
        assertEquals("1213,1297", workload(1, 1, "1213,1297", List.of()).ignoreErrors());
        assertThrows(IllegalArgumentException.class,
                () -> new Workload("select_random_points", 1, 1, 1, 1, 0, null, List.of()));
        assertEquals("/opt/lua/oltp_custom.lua",
                new Workload("/opt/lua/oltp_custom.lua", 1, 1, 1, 1, 0, null, List.of()).name());
    }

    private static Workload workload(int tables, int time, String ignoreErrors, List<String> extra) {
        return new Workload("oltp_read_write", tables, 100, 1, time, 0, ignoreErrors, extra);
    }

    @Test
    void listsEndpointsInTheOrderSysbenchUsesThem() {
        Target target = new Target("t", List.of("a", "b"), List.of(1, 2), "u", "P", "sbtest", Engine.INNODB);
        assertEquals(List.of(new Endpoint("a", 1), new Endpoint("a", 2), new Endpoint("b", 1), new Endpoint("b", 2)),
                target.endpoints());
    }

    @Test
    void parsesEnginesStrictlyAndComparesThemCaseInsensitively() {
        assertEquals(Engine.NDBCLUSTER, Engine.parse(" NDBCluster "));
        assertTrue(Engine.INNODB.matches("InnoDB"));
        assertTrue(Engine.NDBCLUSTER.matches("ndbcluster"));
        assertFalse(Engine.NDBCLUSTER.matches("InnoDB"));
        assertFalse(Engine.NDBCLUSTER.matches(null));
        assertThrows(IllegalArgumentException.class, () -> Engine.parse("ndb"));
    }

    @Test
    void rejectsTargetsThatWouldBreakFileNamesOrTheCommandLine() {
        assertThrows(IllegalArgumentException.class,
                () -> new Target("../x", List.of("h"), List.of(1), "u", "P", "sbtest", Engine.INNODB));
        assertThrows(IllegalArgumentException.class,
                () -> new Target("x", List.of("h,i"), List.of(1), "u", "P", "sbtest", Engine.INNODB));
        assertThrows(IllegalArgumentException.class,
                () -> new Target("x", List.of("h"), List.of(0), "u", "P", "sbtest", Engine.INNODB));
        assertThrows(IllegalArgumentException.class,
                () -> new Target("x", List.of("h"), List.of(1), "u", "MY-PASSWORD", "sbtest", Engine.INNODB));
        assertThrows(IllegalArgumentException.class,
                () -> new Target("x", List.of("h"), List.of(1), "u", "P", "sb test", Engine.INNODB));
    }
}
