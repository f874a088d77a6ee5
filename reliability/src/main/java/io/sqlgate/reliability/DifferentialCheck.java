package io.sqlgate.reliability;

import io.sqlgate.sql.ParsedStatement;
import io.sqlgate.sql.SqlFunctions;
import io.sqlgate.sql.SqlParser;
import io.sqlgate.sql.Role;
import io.sqlgate.sql.SqlRejectedException;
import io.sqlgate.sql.SqlPolicy;
import io.sqlgate.sql.StatementType;
import io.sqlgate.hop.wire.ApiRoute;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks MariaDB how it reads each statement the policy accepts, and compares. For every generated or mutated
 * statement the gatekeeper's policy lets through, {@code EXPLAIN EXTENDED} and {@code SHOW WARNINGS} give the
 * statement as the server rewrote it (note 1003), with every table schema-qualified and every function by name.
 * The server's tables must be among those the policy saw, and its functions on the allow-list (the server
 * prints some under another name: UPPER as ucase), for the client's text and for the canonical text that is
 * run in its place. For reads, the canonical text must also return the same rows as the client's text, on
 * rows the check adds for the purpose (and removes afterwards). The statements write nothing: writes are only
 * explained.
 */
public final class DifferentialCheck {
    private static final String DATABASE = "main_db";
    private static final Set<String> ALLOWED_TABLES = Set.of("direct_table", "random_table", "customized_table");
    /** Names the server prints followed by "(" that are syntax, not function calls (the allow-list's are allowed anyway). */
    private static final Set<String> SYNTAX = Set.of(
            "cast", "convert", "extract", "trim", "json_object", "json_array", "json_arrayagg", "json_objectagg",
            "group_concat", "match", "against", "in", "exists", "over", "row", "interval", "select", "from", "where",
            "and", "or", "not", "on", "using", "as", "is", "like", "case", "when", "then", "else", "limit", "join",
            "any", "all", "if", "partition", "union", "except", "intersect", "with", "between", "distinct", "by",
            "order", "group", "having", "straight_join", "set", "into", "date_add_interval", "value");
    private static final Pattern STRING = Pattern.compile("'(?:[^'\\\\]|\\\\.|'')*'");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern QUOTED_PATH = Pattern.compile("`[^`]*`(?:\\.`[^`]*`)*");
    private static final Pattern CALL = Pattern.compile("(?<![\\w`<>.])([a-z_][a-z0-9_]*)\\(");

    /** The gatekeeper's rules for what a statement may touch, for a writer key on /query. */
    private final SqlPolicy policy = new SqlPolicy(DATABASE, ALLOWED_TABLES);

    /**
     * What a run found.
     *
     * @param refusedByCode statements the policy refused, by error code
     * @param serverRefused accepted statements the server would not explain (a syntax or semantic error there)
     * @param unexplained   the first few of them
     * @param findings      each disagreement: the statement, what the policy saw and what the server read
     */
    public record Result(int generated, int accepted, int reads, int nonEmptyReads, int writes, Map<String, Integer> refusedByCode, int serverRefused,
                         List<String> unexplained, List<String> findings, long millis) {
        public String report() {
            StringBuilder out = new StringBuilder();
            out.append("Differential check: ").append(generated).append(" statements generated, ").append(accepted)
                    .append(" accepted by the policy (").append(reads).append(" reads compared row for row, ").append(nonEmptyReads)
                    .append(" of them with rows, ").append(writes)
                    .append(" writes explained), ").append(serverRefused).append(" accepted ones the server would not explain, in ")
                    .append(millis).append(" ms\n");
            out.append("Refused by the policy: ").append(refusedByCode).append('\n');
            unexplained.forEach(u -> out.append("  not explained by the server: ").append(u).append('\n'));
            out.append("Findings: ").append(findings.size()).append('\n');
            findings.stream().limit(30).forEach(f -> out.append("- ").append(f).append('\n'));
            return out.toString();
        }
    }

    /** Ids of the rows the check adds for the comparison of reads and removes afterwards, apart from anyone's data. */
    private static final int FIRST_ID = 900_001;
    private static final String[][] ROWS = {{"apple", "1"}, {"Avocado", null}, {null, "3"}, {"a%b", "none"}, {"x", "x"},
            {"y", "-2"}, {"banana", "10"}, {"caf\u00e9", "4.5"}};

    /**
     * Runs the check with rows of its own in the three tables, so that the comparison of reads compares rows,
     * and removes them afterwards.
     *
     * @param connection a connection to a node as the application user, on {@value #DATABASE}
     */
    public Result run(Connection connection, List<String> statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String table : ALLOWED_TABLES) {
                for (int i = 0; i < ROWS.length; i++) {
                    statement.execute("REPLACE INTO " + table + " (id, column1, column2) VALUES (" + (FIRST_ID + i) + ", "
                            + literal(ROWS[i][0]) + ", " + literal(ROWS[i][1]) + ")");
                }
            }
        }
        try {
            return compare(connection, statements);
        } finally {
            try (Statement statement = connection.createStatement()) {
                for (String table : ALLOWED_TABLES) {
                    statement.execute("DELETE FROM " + table + " WHERE id BETWEEN " + FIRST_ID + " AND " + (FIRST_ID + ROWS.length - 1));
                }
            }
        }
    }

    private static String literal(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    private Result compare(Connection connection, List<String> statements) throws SQLException {
        long started = System.nanoTime();
        Map<String, Integer> refused = new TreeMap<>();
        List<String> findings = new ArrayList<>();
        int accepted = 0;
        int reads = 0;
        int nonEmptyReads = 0;
        int writes = 0;
        int serverRefused = 0;
        List<String> unexplained = new ArrayList<>();
        for (String sql : statements) {
            ParsedStatement parsed;
            try {
                parsed = SqlParser.parse(sql);
                policy.check(parsed, Role.WRITER, ApiRoute.QUERY);
            } catch (SqlRejectedException e) {
                refused.merge(e.code(), 1, Integer::sum);
                continue;
            }
            accepted++;
            Reading client = explain(connection, sql);
            Reading canonical = explain(connection, parsed.canonicalSql());
            // A refusal can still tell how the server read the statement: the table, sequence or function it
            // looked for is named in the error, and must be one the policy saw and allowed.
            check("client text", sql, parsed, client, findings);
            check("canonical text", parsed.canonicalSql(), parsed, canonical, findings);
            if (!client.explained() || !canonical.explained()) {
                serverRefused++;
                if (unexplained.size() < 10) {
                    unexplained.add(sql + " (" + (client.explained() ? canonical.note() : client.note()) + ")");
                }
                if (client.explained()) {
                    findings.add("the server reads the client's text but not the canonical one: " + sql + " -> " + parsed.canonicalSql()
                            + " (" + canonical.note() + ")");
                }
                continue;
            }
            if (parsed.type() == StatementType.SELECT) {
                reads++;
                List<String> asSent = rows(connection, sql);
                List<String> asRun = rows(connection, parsed.canonicalSql());
                if (!asSent.isEmpty() && !asSent.get(0).startsWith("error ")) {
                    nonEmptyReads++;
                }
                if (!asSent.equals(asRun)) {
                    findings.add("different rows: " + sql + " gave " + asSent + "; " + parsed.canonicalSql() + " gave " + asRun);
                }
            } else {
                writes++;
            }
        }
        return new Result(statements.size(), accepted, reads, nonEmptyReads, writes, refused, serverRefused, unexplained, findings,
                (System.nanoTime() - started) / 1_000_000);
    }

    private void check(String which, String sql, ParsedStatement parsed, Reading server, List<String> findings) {
        Set<String> seen = new HashSet<>();
        for (String table : parsed.tables()) {
            seen.add(policy.qualified(table));
        }
        Set<String> extraTables = new HashSet<>(server.tables());
        extraTables.removeAll(seen);
        Set<String> offList = new HashSet<>();
        for (String function : server.functions()) {
            if (!SqlFunctions.allowed(function) && !SYNTAX.contains(function) && !parsed.functions().contains(function)) {
                offList.add(function);
            }
        }
        if (!extraTables.isEmpty() || !offList.isEmpty()) {
            findings.add(which + " " + sql + ": the policy saw tables " + seen + " and functions " + parsed.functions()
                    + "; the server read tables " + server.tables() + " and functions " + server.functions() + " (" + server.note() + ")");
        }
    }

    /**
     * How the server read a statement: from its rewritten text when it explained it, otherwise from its error,
     * which names the table, sequence or function it did not find (or may not use), if any.
     */
    record Reading(Set<String> tables, Set<String> functions, String note, boolean explained) {
    }

    private static final Pattern MISSING_TABLE = Pattern.compile("Table '([^']+)' doesn't exist|for table ([`'][^ ]+[`'])");
    private static final Pattern MISSING_SEQUENCE = Pattern.compile("Unknown SEQUENCE: '([^']+)'");
    private static final Pattern MISSING_FUNCTION = Pattern.compile("FUNCTION ([\\w.`]+) does not exist");

    static Reading refusal(String message) {
        Set<String> tables = new HashSet<>();
        Set<String> functions = new HashSet<>();
        Matcher table = MISSING_TABLE.matcher(message);
        while (table.find()) {
            tables.add((table.group(1) != null ? table.group(1) : table.group(2)).replaceAll("[`']", "").toLowerCase(Locale.ROOT));
        }
        Matcher sequence = MISSING_SEQUENCE.matcher(message);
        while (sequence.find()) {
            functions.add("sequence " + sequence.group(1).toLowerCase(Locale.ROOT)); // no sequence is ever allowed
        }
        Matcher function = MISSING_FUNCTION.matcher(message);
        while (function.find()) {
            functions.add(function.group(1).replace("`", "").toLowerCase(Locale.ROOT));
        }
        return new Reading(tables, functions, message, false);
    }

    static Reading explain(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(10);
            statement.execute("EXPLAIN EXTENDED " + sql);
            try (ResultSet warnings = statement.executeQuery("SHOW WARNINGS")) {
                while (warnings.next()) {
                    if (warnings.getInt("Code") == 1003) {
                        return read(warnings.getString("Message"));
                    }
                }
            }
            return refusal("no rewritten statement");
        } catch (SQLException e) {
            return refusal(String.valueOf(e.getMessage()));
        }
    }

    /** The tables and functions in the server's rewritten statement (note 1003). */
    static Reading read(String note) {
        String code = COMMENT.matcher(STRING.matcher(note).replaceAll("''")).replaceAll(" ");
        Set<String> tables = new HashSet<>();
        Matcher path = QUOTED_PATH.matcher(code);
        while (path.find()) {
            String[] parts = path.group().split("`\\.`");
            if (parts.length == 2 && parts[0].charAt(1) != '<') { // `db`.`table`; three parts are a column, one an alias;
                // `<subquery2>` is the optimizer's own
                tables.add((parts[0].substring(1) + "." + parts[1].substring(0, parts[1].length() - 1)).toLowerCase(Locale.ROOT));
            }
        }
        Set<String> functions = new HashSet<>();
        Matcher call = CALL.matcher(QUOTED_PATH.matcher(code).replaceAll(" x ").toLowerCase(Locale.ROOT));
        while (call.find()) {
            functions.add(call.group(1));
        }
        return new Reading(tables, functions, note, true);
    }

    private static List<String> rows(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(10);
            try (ResultSet results = statement.executeQuery(sql)) {
                int width = results.getMetaData().getColumnCount();
                while (results.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= width; i++) {
                        row.append(i > 1 ? "|" : "").append(results.getString(i));
                    }
                    rows.add(row.toString());
                }
            }
        } catch (SQLException e) {
            rows.add("error " + e.getErrorCode());
        }
        rows.sort(null);
        return rows;
    }
}
