package io.sqlgate.sql;

import io.sqlgate.hop.wire.ApiRoute;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generated statements outside the allow-list are never accepted, whatever their shape. */
class SqlPolicyPropertiesTest {
    private static final Set<String> ALLOWED = Set.of("direct_table", "random_table", "customized_table");
    /** Functions that read server state, wait, lock or touch files; the generator adds made-up and qualified names. */
    private static final List<String> OFF_LIST_FUNCTIONS = List.of("sleep", "benchmark", "load_file", "get_lock", "user", "version",
            "database", "schema", "uuid", "uuid_short", "connection_id", "last_insert_id", "wsrep_last_seen_gtid",
            "wsrep_sync_wait_upto_gtid", "master_pos_wait", "nextval", "lastval", "setval", "session_user", "release_all_locks");

    @Property(tries = 600)
    void aForbiddenTableAnywhereIsRefused(@ForAll("statementsTouchingAForbiddenTable") String sql, @ForAll Role role) {
        assertRefused(sql, role, "TABLE_FORBIDDEN", "SYSTEM_SCHEMA_FORBIDDEN", "ROLE_FORBIDDEN");
    }

    @Property(tries = 600)
    void aFunctionOffTheListAnywhereIsRefused(@ForAll("statementsCallingAFunctionOffTheList") String sql) {
        assertRefused(sql, Role.WRITER, "FUNCTION_FORBIDDEN");
    }

    @Property(tries = 200)
    void statementsOtherThanTheFourDataKindsAreRefused(@ForAll("otherStatements") String sql) {
        assertRefused(sql, Role.WRITER, "SQL_FORBIDDEN", "SQL_MULTIPLE_STATEMENTS", "SQL_PARSE_ERROR");
    }

    @Property(tries = 300)
    void theAllowListItselfIsAccepted(@ForAll("allowedTables") String table, @ForAll("quoting") String quote) {
        // The control: without it the properties above would also pass for a policy that refuses everything.
        SqlPolicyTest.check("SELECT * FROM " + quote + table + quote + " WHERE id = 1", Role.READER, ApiRoute.QUERY);
    }

    /** Refused by the policy for the reason the generator put in, not by any failure on the way. */
    private static void assertRefused(String sql, Role role, String... codes) {
        SqlRejectedException refused = assertThrows(SqlRejectedException.class, () -> SqlPolicyTest.check(sql, role, ApiRoute.QUERY), sql);
        assertTrue(List.of(codes).contains(refused.code()), sql + " was refused with " + refused.code() + ": " + refused.getMessage());
    }

    @Provide
    Arbitrary<String> allowedTables() {
        return Arbitraries.of(ALLOWED);
    }

    @Provide
    Arbitrary<String> quoting() {
        return Arbitraries.of("", "`");
    }

    /** A table name that is not on the allow-list, sometimes qualified with a schema, sometimes quoted. */
    Arbitrary<String> forbiddenTable() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(12),
                Arbitraries.of("user", "tables", "secrets", "direct_table2", "xdirect_table", "innodb_table_stats"))
                .filter(n -> !ALLOWED.contains(n) && !Set.of("select", "from", "where", "table", "order", "group", "limit", "union",
                        "join", "on", "and", "or", "not", "in", "is", "as", "by", "set", "values", "into", "update", "delete",
                        "insert", "with", "having", "case", "when", "then", "else", "end", "null", "like", "between",
                        "exists", "all", "any", "distinct", "left", "right", "inner", "outer", "cross", "natural", "using",
                        "for", "if", "key", "primary", "default", "interval", "div", "mod", "xor", "true", "false", "do",
                        "asc", "desc", "full", "straight_join", "lateral", "window", "over", "partition", "rows",
                        "range", "current", "unique", "index", "check", "column", "share", "nowait", "skip", "of",
                        "high_priority", "low_priority", "delayed", "ignore", "sql_calc_found_rows", "escape", "binary",
                        "character", "collate", "regexp", "rlike", "sounds", "match", "against", "unsigned", "zerofill",
                        "offset", "fetch", "next", "only", "top", "except", "intersect", "minus", "returning", "go",
                        "connect", "prior", "start", "model", "pivot", "unpivot", "qualify", "sample", "tablesample",
                        "system", "level", "outfile", "dumpfile", "lock", "mode", "row", "first", "last").contains(n));
        Arbitrary<String> schema = Arbitraries.of("", "", "main_db.", "mysql.", "information_schema.", "performance_schema.",
                "sys.", "other_db.");
        Arbitrary<String> quote = Arbitraries.of("", "`");
        return Combinators.combine(schema, name, quote).as((s, n, q) -> s.isEmpty() ? q + n + q : s + q + n + q);
    }

    @Provide
    Arbitrary<String> statementsTouchingAForbiddenTable() {
        Arbitrary<String> allowed = Arbitraries.of(ALLOWED);
        return Combinators.combine(forbiddenTable(), allowed, Arbitraries.integers().between(0, 9)).as((bad, good, shape) -> switch (shape) {
            case 0 -> "SELECT * FROM " + bad;
            case 1 -> "SELECT * FROM " + good + " WHERE id IN (SELECT id FROM " + bad + ")";
            case 2 -> "SELECT * FROM " + good + " a JOIN " + bad + " b ON a.id = b.id";
            case 3 -> "SELECT id FROM " + good + " UNION SELECT id FROM " + bad;
            case 4 -> "WITH " + good + " AS (SELECT * FROM " + bad + ") SELECT * FROM " + good;
            case 5 -> "INSERT INTO " + bad + " (column1) VALUES ('x')";
            case 6 -> "INSERT INTO " + good + " (column1) SELECT column1 FROM " + bad;
            case 7 -> "UPDATE " + bad + " SET column1 = 'x' WHERE id = 1";
            case 8 -> "DELETE FROM " + bad + " WHERE id = 1";
            default -> "SELECT (SELECT COUNT(*) FROM " + bad + ") FROM " + good;
        });
    }

    @Provide
    Arbitrary<String> statementsCallingAFunctionOffTheList() {
        Arbitrary<String> madeUp = Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(3).ofMaxLength(12)
                .filter(name -> !SqlFunctions.allowed(name) && !name.startsWith("_"));
        Arbitrary<String> qualified = Combinators.combine(Arbitraries.of("mysql", "sys", "main_db", "`main_db`"),
                Arbitraries.of(SqlFunctions.ALLOWED)).as((schema, name) -> schema + "." + name);
        Arbitrary<String> quotedAllowed = Arbitraries.of(SqlFunctions.ALLOWED).map(name -> "`" + name + "`");
        Arbitrary<String> function = Arbitraries.oneOf(
                Arbitraries.of(OFF_LIST_FUNCTIONS).flatMap(f -> Arbitraries.of(f, f.toUpperCase(), "`" + f + "`")),
                madeUp, qualified, quotedAllowed);
        Arbitrary<String> table = Arbitraries.of(ALLOWED);
        return Combinators.combine(function, table, Arbitraries.integers().between(0, 5)).as((f, t, shape) -> {
            String call = f + "(" + (f.toLowerCase().contains("user") || f.toLowerCase().contains("version") ? "" : "1") + ")";
            return switch (shape) {
                case 0 -> "SELECT " + call;
                case 1 -> "SELECT * FROM " + t + " WHERE id = " + call;
                case 2 -> "SELECT * FROM " + t + " WHERE id IN (SELECT " + call + ")";
                case 3 -> "UPDATE " + t + " SET column1 = " + call + " WHERE id = 1";
                case 4 -> "INSERT INTO " + t + " (column1) VALUES (" + call + ")";
                default -> "SELECT CONCAT('a', " + call + ") FROM " + t;
            };
        });
    }

    @Provide
    Arbitrary<String> otherStatements() {
        Arbitrary<String> table = Arbitraries.of(ALLOWED);
        return Combinators.combine(table, Arbitraries.integers().between(0, 9)).as((t, shape) -> switch (shape) {
            case 0 -> "DROP TABLE " + t;
            case 1 -> "TRUNCATE TABLE " + t;
            case 2 -> "ALTER TABLE " + t + " ADD COLUMN c INT";
            case 3 -> "CREATE TABLE " + t + "_copy (id INT)";
            case 4 -> "GRANT SELECT ON " + t + " TO bob";
            case 5 -> "RENAME TABLE " + t + " TO x";
            case 6 -> "SET GLOBAL read_only = 1";
            case 7 -> "CREATE INDEX i ON " + t + " (column1)";
            case 8 -> "SELECT * FROM " + t + "; DROP TABLE " + t;
            default -> "LOCK TABLES " + t + " WRITE";
        });
    }
}
