package io.sqlgate.reliability;

import io.sqlgate.testkit.LocalCluster;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What hostile input must not change, read from node1: row counts and checksums of every table in
 * {@code main_db}, and, as root over the node's socket where this machine has it, every user, schema object
 * (tables, views, routines, triggers, events), the application user's grants and a few global settings.
 */
public record DatabaseState(Map<String, String> facts) {
    private static final String NODE = "node1";
    private static final Map<String, String> ROOT_QUERIES = new LinkedHashMap<>();

    static {
        ROOT_QUERIES.put("users", "SELECT CONCAT(user, '@', host) FROM mysql.user ORDER BY 1");
        ROOT_QUERIES.put("tables", "SELECT CONCAT(table_schema, '.', table_name, ' ', table_type) FROM information_schema.tables "
                + "WHERE table_schema NOT IN ('information_schema', 'performance_schema') ORDER BY 1");
        ROOT_QUERIES.put("routines", "SELECT CONCAT(routine_schema, '.', routine_name) FROM information_schema.routines ORDER BY 1");
        ROOT_QUERIES.put("triggers", "SELECT CONCAT(trigger_schema, '.', trigger_name) FROM information_schema.triggers ORDER BY 1");
        ROOT_QUERIES.put("events", "SELECT CONCAT(event_schema, '.', event_name) FROM information_schema.events ORDER BY 1");
        ROOT_QUERIES.put("databases", "SELECT schema_name FROM information_schema.schemata ORDER BY 1");
        ROOT_QUERIES.put("global settings", "SELECT CONCAT_WS(' ', @@global.read_only, @@global.max_connections, @@global.sql_mode, "
                + "@@global.general_log, @@global.wsrep_on)");
    }

    public static DatabaseState capture(LocalCluster cluster) throws SQLException {
        Map<String, String> facts = new LinkedHashMap<>();
        List<String> tables = cluster.mainDbTables(NODE);
        facts.put("main_db tables", String.join(",", tables));
        cluster.tables(NODE, tables).forEach((table, state) -> {
            facts.put("rows in " + table, Long.toString(state.rows()));
            facts.put("checksum of " + table, state.checksum());
        });
        Map<String, String> queries = new LinkedHashMap<>(ROOT_QUERIES);
        queries.put("grants of the application user", "SHOW GRANTS FOR '" + cluster.appUser().replace("'", "''") + "'@'127.0.0.1'");
        for (Map.Entry<String, String> query : queries.entrySet()) {
            Optional<List<String>> rows = cluster.rootQuery(NODE, query.getValue());
            facts.put(query.getKey(), rows.map(lines -> String.join("\n", lines)).orElse("(not readable here)"));
        }
        return new DatabaseState(facts);
    }

    /** Each fact that differs, before and after. */
    public List<String> differences(DatabaseState after) {
        List<String> out = new ArrayList<>();
        facts.forEach((name, value) -> {
            String now = after.facts().get(name);
            if (!Objects.equals(value, now)) {
                out.add(name + ": " + value.replace('\n', ' ') + " -> " + (now == null ? "(missing)" : now.replace('\n', ' ')));
            }
        });
        return out;
    }

    /** Whether root's view (users, every schema object) could be read on this machine. */
    public boolean rootView() {
        return !"(not readable here)".equals(facts.get("users"));
    }

    public String describe() {
        StringBuilder out = new StringBuilder();
        facts.forEach((name, value) -> {
            if (name.startsWith("rows in") || name.startsWith("checksum of")) {
                out.append(name).append(' ').append(value).append("; ");
            }
        });
        if (rootView()) {
            out.append(facts.get("users").lines().count()).append(" users, ")
                    .append(facts.get("tables").lines().count()).append(" tables and views in all schemas, ")
                    .append(facts.get("routines").lines().filter(l -> !l.isBlank()).count()).append(" routines, ")
                    .append(facts.get("triggers").lines().filter(l -> !l.isBlank()).count()).append(" triggers, ")
                    .append(facts.get("events").lines().filter(l -> !l.isBlank()).count()).append(" events; grants and global settings as before");
        } else {
            out.append("users and other schemas not readable here (no root socket)");
        }
        return out.toString();
    }
}
