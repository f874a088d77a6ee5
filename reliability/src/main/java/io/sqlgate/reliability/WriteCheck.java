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
 * After a run: is every write that was answered 200 in the database, on every node, exactly once? Writes that
 * got no answer or an error have an unknown outcome (the statement may have committed before its answer was
 * lost); they are counted, not required.
 *
 * @param acknowledged   writes answered 200
 * @param uncertain      writes answered otherwise or not at all
 * @param lostByNode     per node, acknowledged values missing there
 * @param duplicated     values present more than once (a write applied twice)
 * @param uncertainFound of the uncertain writes, how many did commit (seen on node1)
 */
public record WriteCheck(int acknowledged, int uncertain, Map<String, Set<String>> lostByNode, Set<String> duplicated,
                         int uncertainFound) {

    public static WriteCheck verify(LocalCluster cluster, String runId, List<Outcome> outcomes) throws SQLException {
        Set<String> acknowledged = outcomes.stream().filter(o -> o.op().write() && o.ok()).map(Outcome::value)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> uncertain = outcomes.stream().filter(o -> o.op().write() && !o.ok()).map(Outcome::value)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, Set<String>> lost = new LinkedHashMap<>();
        Set<String> duplicated = new TreeSet<>();
        int uncertainFound = 0;
        for (String node : LocalCluster.NODES) {
            Map<String, Integer> present = present(cluster, node, runId + "-");
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
        return new WriteCheck(acknowledged.size(), uncertain.size(), lost, duplicated, uncertainFound);
    }

    private static Map<String, Integer> present(LocalCluster cluster, String node, String prefix) throws SQLException {
        Map<String, Integer> present = new HashMap<>();
        try (Connection connection = cluster.connect(node);
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT column1, COUNT(*) FROM direct_table WHERE LEFT(column1, ?) = ? GROUP BY column1")) {
            statement.setInt(1, prefix.length());
            statement.setString(2, prefix);
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
        return lost() == 0 && duplicated.isEmpty();
    }

    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(acknowledged).append(" writes acknowledged with 200; lost: ");
        out.append(lostByNode.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().size()).collect(Collectors.joining(", ")));
        out.append("; applied twice: ").append(duplicated.size());
        out.append("; ").append(uncertain).append(" writes without a 200 (").append(uncertainFound).append(" of them committed)");
        lostByNode.forEach((node, missing) -> {
            if (!missing.isEmpty()) {
                out.append("\n  missing on ").append(node).append(": ").append(missing.stream().limit(20).toList());
            }
        });
        return out.toString();
    }
}
