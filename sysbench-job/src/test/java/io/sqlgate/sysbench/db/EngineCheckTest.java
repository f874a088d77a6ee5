package io.sqlgate.sysbench.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sqlgate.sysbench.config.Endpoint;
import io.sqlgate.sysbench.config.Engine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineCheckTest {

    private static final List<String> TABLES = List.of("sbtest1", "sbtest2");
    private static final Endpoint SQL0 = new Endpoint("ndb-sql-0", 3306);
    private static final Endpoint SQL1 = new Endpoint("ndb-sql-1", 3306);

    @Test
    void verifiesWhenEveryTableUsesTheEngineOnEveryServer() {
        EngineCheck check = EngineCheck.of(Engine.NDBCLUSTER, TABLES, found(
                SQL0, Map.of("sbtest1", "ndbcluster", "sbtest2", "ndbcluster"),
                SQL1, Map.of("sbtest1", "ndbcluster", "sbtest2", "NDBCLUSTER")));
        assertTrue(check.verified(), check.problems().toString());
        assertEquals("ndbcluster", check.engines().get("ndb-sql-1:3306").get("sbtest1"));
    }

    @Test
    void rejectsInnodbTablesOnAnNdbTarget() {
        EngineCheck check = EngineCheck.of(Engine.NDBCLUSTER, TABLES, found(
                SQL0, Map.of("sbtest1", "InnoDB", "sbtest2", "ndbcluster"),
                SQL1, Map.of("sbtest1", "InnoDB", "sbtest2", "ndbcluster")));
        assertFalse(check.verified());
        assertEquals(List.of("ndb-sql-0:3306: expected ENGINE=ndbcluster but found sbtest1=InnoDB",
                "ndb-sql-1:3306: expected ENGINE=ndbcluster but found sbtest1=InnoDB"), check.problems());
    }

    @Test
    void rejectsATableMissingOnOneServer() {
        EngineCheck check = EngineCheck.of(Engine.INNODB, TABLES, found(
                SQL0, Map.of("sbtest1", "InnoDB", "sbtest2", "InnoDB"),
                SQL1, Map.of("sbtest1", "InnoDB")));
        assertEquals(List.of("ndb-sql-1:3306: missing tables sbtest2"), check.problems());
    }

    @Test
    void rejectsACheckOfNoServer() {
        assertFalse(EngineCheck.of(Engine.INNODB, TABLES, Map.of()).verified());
    }

    private static Map<Endpoint, Map<String, String>> found(Endpoint a, Map<String, String> aTables,
                                                            Endpoint b, Map<String, String> bTables) {
        Map<Endpoint, Map<String, String>> found = new LinkedHashMap<>();
        found.put(a, aTables);
        found.put(b, bTables);
        return found;
    }
}
