package io.sqlgate.sysbench.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict on whether each prepared table holds exactly the rows the workload addresses: ids 1 to
 * table-size. The oltp workloads pick ids in that range; a cluster that steps auto-increment values (Galera
 * by its size, NDB SQL nodes by prefetched ranges) would otherwise leave most of them missing, and its reads
 * and writes would silently do less work than on the standalone server.
 */
public record RowCheck(long expectedRows, Map<String, TableRows> tables, List<String> problems) {

    /** What one table holds. */
    public record TableRows(long count, long minId, long maxId) {
    }

    public RowCheck {
        tables = Map.copyOf(tables);
        problems = List.copyOf(problems);
    }

    @JsonProperty
    public boolean verified() {
        return problems.isEmpty();
    }

    public static RowCheck of(long expectedRows, List<String> tableNames, Map<String, TableRows> found) {
        List<String> problems = new ArrayList<>();
        for (String table : tableNames) {
            TableRows rows = found.get(table);
            if (rows == null) {
                problems.add(table + " is missing");
            } else if (rows.count() != expectedRows || rows.minId() != 1 || rows.maxId() != expectedRows) {
                problems.add(table + " holds " + rows.count() + " rows with ids " + rows.minId() + ".." + rows.maxId()
                        + ", expected " + expectedRows + " rows with ids 1.." + expectedRows);
            }
        }
        return new RowCheck(expectedRows, new TreeMap<>(found), problems);
    }
}
