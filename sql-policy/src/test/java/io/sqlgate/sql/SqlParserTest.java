package io.sqlgate.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlParserTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM direct_table LIMIT 1",
            "select id, column1 from random_table where id = ?",
            "SELECT * FROM t;",
            "SELECT 1 -- trailing comment",
            "/* leading */ SELECT * FROM t WHERE a = 'x; DROP TABLE t'",
            "SELECT * FROM t UNION SELECT * FROM u",
            "WITH x AS (SELECT id FROM t) SELECT * FROM x",
            "SELECT COUNT(*) FROM t JOIN u ON t.id = u.id GROUP BY t.a HAVING COUNT(*) > 1",
    })
    void plainSelectsAreReads(String sql) {
        ParsedStatement statement = SqlParser.parse(sql);
        assertEquals(StatementType.SELECT, statement.type());
        assertTrue(statement.read(), sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM t WHERE id = 1 FOR UPDATE",
            "SELECT * FROM t FOR SHARE",
            "SELECT * FROM t UNION SELECT * FROM u FOR UPDATE",
            "SELECT * FROM (SELECT * FROM t FOR UPDATE) x",
    })
    void lockingSelectsAreWrites(String sql) {
        ParsedStatement statement = SqlParser.parse(sql);
        assertEquals(StatementType.SELECT, statement.type());
        assertFalse(statement.read(), sql);
    }

    @Test
    void dataChangesAreTypedWrites() {
        assertEquals(StatementType.INSERT, SqlParser.parse("INSERT INTO t (a, b) VALUES ('x', 'y')").type());
        assertFalse(SqlParser.parse("INSERT INTO t (a) VALUES (?)").read());
        ParsedStatement update = SqlParser.parse("UPDATE t SET a = 1 WHERE id = 2");
        assertEquals(StatementType.UPDATE, update.type());
        assertTrue(update.hasWhere());
        assertFalse(SqlParser.parse("UPDATE t SET a = 1").hasWhere());
        ParsedStatement delete = SqlParser.parse("DELETE FROM t");
        assertEquals(StatementType.DELETE, delete.type());
        assertFalse(delete.hasWhere());
        assertTrue(SqlParser.parse("DELETE FROM t WHERE id = 3").hasWhere());
    }

    @ParameterizedTest
    @ValueSource(strings = {"DROP TABLE t", "CREATE TABLE x (id INT)", "TRUNCATE TABLE t", "GRANT SELECT ON t TO bob",
            "ALTER TABLE t ADD COLUMN c INT", "SET autocommit = 0", "COMMIT"})
    void everythingElseIsOther(String sql) {
        ParsedStatement statement = SqlParser.parse(sql);
        assertEquals(StatementType.OTHER, statement.type());
        assertFalse(statement.read());
    }

    @Test
    void tablesAreUnquotedInTheirOwnCaseAndCteNamesLeftOut() {
        assertEquals(Set.of("MySQL.User"), SqlParser.parse("SELECT * FROM `MySQL`.`User`").tables());
        // MariaDB compares a common table expression's name without case
        assertEquals(Set.of("mysql.user"), SqlParser.parse("WITH Cte AS (SELECT * FROM mysql.user) SELECT * FROM cte").tables());
        assertEquals(Set.of("t", "information_schema.tables"),
                SqlParser.parse("INSERT INTO t (a) SELECT table_name FROM information_schema.tables").tables());
        assertEquals(Set.of("mysql.user"),
                SqlParser.parse("WITH direct_table AS (SELECT * FROM mysql.user) SELECT * FROM direct_table").tables());
    }

    @Test
    void functionsAreFoundAtAnyDepth() {
        ParsedStatement statement = SqlParser.parse(
                "SELECT `sleep`(1), md5('a') FROM t WHERE id IN (SELECT LOAD_FILE('/etc/passwd')) AND x = (SELECT BENCHMARK(1, 1))");
        // a quoted name calls a stored function of that name, not the built-in: it keeps its quotes
        assertEquals(Set.of("`sleep`", "md5", "load_file", "benchmark"), statement.functions());
        assertEquals(Set.of("sleep"), SqlParser.parse("UPDATE t SET a = SLEEP(1) WHERE id = 1").functions());
    }

    @Test
    void stackedStatementsAreRefused() {
        SqlRejectedException e = assertThrows(SqlRejectedException.class, () -> SqlParser.parse("SELECT 1; DROP TABLE t"));
        assertEquals("SQL_MULTIPLE_STATEMENTS", e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void emptySqlIsMissing(String sql) {
        assertEquals("SQL_MISSING", assertThrows(SqlRejectedException.class, () -> SqlParser.parse(sql)).code());
        assertEquals("SQL_MISSING", assertThrows(SqlRejectedException.class, () -> SqlParser.parse(null)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELEC * FROM t", "SELECT * FROM t LOCK IN SHARE MODE", "SELECT * FROM t INTO OUTFILE '/tmp/x'",
            "LOAD DATA INFILE '/etc/passwd' INTO TABLE t", "   ;", "SELECT 'unterminated"})
    void unparseableSqlIsRefused(String sql) {
        assertEquals("SQL_PARSE_ERROR", assertThrows(SqlRejectedException.class, () -> SqlParser.parse(sql)).code());
    }

    @Test
    void absurdNestingIsRefusedNotCrashed() {
        String sql = "SELECT " + "(".repeat(20_000) + "1" + ")".repeat(20_000);
        SqlRejectedException e = assertThrows(SqlRejectedException.class, () -> SqlParser.parse(sql));
        assertTrue(Set.of("SQL_TOO_COMPLEX", "SQL_PARSE_ERROR").contains(e.code()), e.code());
    }

    /** With values inlined every text differs; the digest is what is kept, so each shape is parsed once. */
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT id, k, c, pad FROM sbtest1 WHERE id = %d /* %d */",
            "SELECT c FROM sbtest1 WHERE id BETWEEN %d AND %d + 99 ORDER BY c",
            "SELECT d.id FROM direct_table d JOIN random_table r ON d.id = r.id WHERE d.column1 = 'v%d' LIMIT %d",
            "SELECT * FROM direct_table WHERE id IN (%d, %d, 7) FOR UPDATE",
            "INSERT INTO direct_table (column1, column2) VALUES ('a%d', %d), ('b', 2)",
            "UPDATE sbtest1 SET k = k + %d WHERE id = %d",
            "DELETE FROM sbtest1 WHERE id = %d AND k < %d",
    })
    void statementsThatDifferOnlyInValuesAreParsedOnceAndRunWithTheirOwnValues(String shape) {
        SqlParser.parse(String.format(shape, 0, 0));
        long kept = SqlParser.cachedEntries();
        for (int i = 1; i <= 50; i++) {
            String sql = String.format(shape, 1000 + i, i);
            ParsedStatement statement = SqlParser.parse(sql);
            assertEquals(SqlParser.checkUncached(sql).canonicalSql().replace(" ", ""), statement.canonicalSql().replace(" ", ""), sql);
        }
        assertEquals(kept, SqlParser.cachedEntries(), "kept another entry for a statement of a known digest");
    }

    /** Names are the client's, whatever the case of the first statement of a similar shape: T and t are two tables. */
    @Test
    void aStatementRunsWithItsOwnNamesNotThoseOfAStatementDifferingOnlyInTheirCase() {
        SqlParser.parse("INSERT INTO dirEct_TAble (column1, column2) VALUES ('d', 'e')");
        String sql = "INSERT INTO direct_table (column1, column2) VALUES ('f', 'g')";
        assertEquals(SqlLexer.tokens(SqlParser.checkUncached(sql).canonicalSql(), false), SqlLexer.tokens(SqlParser.parse(sql).canonicalSql(), false));
        assertTrue(SqlParser.parse(sql).canonicalSql().contains("`direct_table`"), SqlParser.parse(sql).canonicalSql());
        SqlParser.parse("SELECT COUNT(*) FROM direct_table t GROUP BY T.ColUmn1");
        assertTrue(SqlParser.parse("SELECT COUNT(*) FROM direct_table t GROUP BY t.column1").canonicalSql().contains("`t`.`column1`"));
    }

    /** Every text of its own digest (a new alias each time): the caches stay within their bound whatever comes. */
    @Test
    void aFloodOfDistinctStatementsCannotGrowTheCachesPastTheirBound() {
        int distinct = 12_000;
        for (int i = 0; i < distinct; i++) {
            SqlParser.parse("SELECT id AS a" + i + " FROM direct_table WHERE id = " + i);
            SqlParser.parse("SELECT id AS b" + i + " FROM direct_table WHERE id = 1 OR SLEEP(1) = 0"); // refused by the policy, kept as a verdict
        }
        assertTrue(SqlParser.largestCacheCharacters() <= SqlParser.CACHE_CHARACTERS, "held: " + SqlParser.largestCacheCharacters());
        String last = "SELECT id AS a" + (distinct - 1) + " FROM direct_table WHERE id = 7";
        assertTrue(SqlParser.known(last) != null, "the newest digests are among those kept");
    }
}
