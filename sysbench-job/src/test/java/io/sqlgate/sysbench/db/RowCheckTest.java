package io.sqlgate.sysbench.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowCheckTest {

    private static final List<String> TABLES = List.of("sbtest1", "sbtest2");

    @Test
    void acceptsIdsOneToTableSize() {
        RowCheck check = RowCheck.of(1000, TABLES, Map.of(
                "sbtest1", new RowCheck.TableRows(1000, 1, 1000),
                "sbtest2", new RowCheck.TableRows(1000, 1, 1000)));
        assertTrue(check.verified(), check.problems().toString());
    }

    @Test
    void rejectsIdsSteppedByTheClusterSize() {
        // what a 3-node Galera cluster makes of AUTO_INCREMENT ids (auto_increment_increment=3)
        RowCheck check = RowCheck.of(1000, TABLES, Map.of(
                "sbtest1", new RowCheck.TableRows(1000, 1, 2998),
                "sbtest2", new RowCheck.TableRows(1000, 1, 1000)));
        assertEquals(List.of("sbtest1 holds 1000 rows with ids 1..2998, expected 1000 rows with ids 1..1000"),
                check.problems());
    }

    @Test
    void rejectsMissingAndShortTables() {
        RowCheck check = RowCheck.of(1000, TABLES, Map.of("sbtest2", new RowCheck.TableRows(999, 1, 999)));
        assertEquals(List.of("sbtest1 is missing",
                "sbtest2 holds 999 rows with ids 1..999, expected 1000 rows with ids 1..1000"), check.problems());
    }
}
