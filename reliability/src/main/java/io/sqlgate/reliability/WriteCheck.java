package io.sqlgate.reliability;

import io.sqlgate.testkit.LocalCluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * After a run: is every write that was answered 200 in the database, on every node, exactly once, with exactly
 * one entry in the audit ledger, and has every entry its row? Each write's value is its request id (see
 * {@link Load}), which its ledger entry names. Writes that got no answer or an error have an unknown outcome (the
 * statement may have committed before its answer was lost); they are counted, not required, but if one committed
 * its entry must be there too.
 *
 * @param acknowledged   writes answered 200
 * @param uncertain      writes answered otherwise or not at all
 * @param lostByNode     per node, acknowledged values missing there
 * @param duplicated     values present more than once (a write applied twice)
 * @param uncertainFound of the uncertain writes, how many did commit (seen on node1)
 * @param unrecorded     per node, values present whose ledger entries are not exactly one (none, or several)
 * @param unbacked       per node, ledger entries of the run whose row is not there
 */
public record WriteCheck(int acknowledged, int uncertain, Map<String, Set<String>> lostByNode, Set<String> duplicated,
                         int uncertainFound, Map<String, Set<String>> unrecorded, Map<String, Set<String>> unbacked) {

    /** Without the ledger's figures: nothing unrecorded, nothing unbacked. */
    public WriteCheck(int acknowledged, int uncertain, Map<String, Set<String>> lostByNode, Set<String> duplicated, int uncertainFound) {
        this(acknowledged, uncertain, lostByNode, duplicated, uncertainFound, Map.of(), Map.of());
    }

    public static WriteCheck verify(LocalCluster cluster, String runId, List<Outcome> outcomes) throws SQLException {
        Set<String> acknowledged = outcomes.stream().filter(o -> o.op().write() && o.ok()).map(Outcome::value)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> uncertain = outcomes.stream().filter(o -> o.op().write() && !o.ok()).map(Outcome::value)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, Set<String>> lost = new LinkedHashMap<>();
        Map<String, Set<String>> unrecorded = new LinkedHashMap<>();
        Map<String, Set<String>> unbacked = new LinkedHashMap<>();
        Set<String> duplicated = new TreeSet<>();
        int uncertainFound = 0;
        for (String node : LocalCluster.NODES) {
            Map<String, Integer> present = present(cluster, node, runId + "-", ROWS);
            Map<String, Integer> entries = present(cluster, node, runId + "-", ENTRIES);
            unrecorded.put(node, present.keySet().stream().filter(value -> entries.getOrDefault(value, 0) != 1)
                    .collect(Collectors.toCollection(TreeSet::new)));
            unbacked.put(node, entries.keySet().stream().filter(value -> !present.containsKey(value))
                    .collect(Collectors.toCollection(TreeSet::new)));
            Set<String> missing = new TreeSet<>(acknowledged);
            missing.removeAll(present.keySet());
            lost.put(node, missing);
            present.forEach((value, count) -> {
                if (count > 1) {
                    duplicated.add(value);
                }
            });
            if (node.equals("node1")) {
                uncertainFound = (int) uncertain.stream().filter(present::containsKey).count();
            }
        }
        return new WriteCheck(acknowledged.size(), uncertain.size(), lost, duplicated, uncertainFound, unrecorded, unbacked);
    }

    // A LIKE with a constant prefix is a range on an index: the ledger's request ids are indexed, and it only grows.
    private static final String ROWS = "SELECT column1, COUNT(*) FROM direct_table WHERE column1 LIKE ? GROUP BY column1";
    private static final String ENTRIES = "SELECT request_id, COUNT(*) FROM sqlgate_audit.write_entry WHERE request_id LIKE ?"
            + " GROUP BY request_id";

    /** How many times each value of the run is there: rows by their value, or ledger entries by their request id. */
    private static Map<String, Integer> present(LocalCluster cluster, String node, String prefix, String query) throws SQLException {
        Map<String, Integer> present = new HashMap<>();
        try (Connection connection = cluster.connect(node);
             PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    present.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return present;
    }

    public int lost() {
        return lostByNode.values().stream().mapToInt(Set::size).max().orElse(0);
    }

    public boolean clean() {
        return lost() == 0 && duplicated.isEmpty() && worst(unrecorded) == 0 && worst(unbacked) == 0;
    }

    private static int worst(Map<String, Set<String>> byNode) {
        return byNode.values().stream().mapToInt(Set::size).max().orElse(0);
    }

    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(acknowledged).append(" writes acknowledged with 200; lost: ");
        out.append(lostByNode.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().size()).collect(Collectors.joining(", ")));
        out.append("; applied twice: ").append(duplicated.size());
        out.append("; ").append(uncertain).append(" writes without a 200 (").append(uncertainFound).append(" of them committed)");
        out.append("; rows without exactly one ledger entry: ").append(worst(unrecorded));
        out.append("; ledger entries without their row: ").append(worst(unbacked));
        detail(out, "missing on ", lostByNode);
        detail(out, "not exactly one ledger entry on ", unrecorded);
        detail(out, "a ledger entry without its row on ", unbacked);
        return out.toString();
    }

    private static void detail(StringBuilder out, String what, Map<String, Set<String>> byNode) {
        byNode.forEach((node, values) -> {
            if (!values.isEmpty()) {
                out.append("\n  ").append(what).append(node).append(": ").append(values.stream().limit(20).toList());
            }
        });
    }
}
