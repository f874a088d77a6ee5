package io.sqlgate.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A denied function or a table off the allow-list is seen in every clause. JSqlParser's table finder skips
 * several (ORDER BY, GROUP BY, windows, ON DUPLICATE KEY UPDATE, INSERT ... SET); sent through the chain, {@code ORDER BY SLEEP(5)} and {@code ORDER BY LOAD_FILE(...)} reached the
 * database before.
 */
class SqlParserClausesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM t ORDER BY SLEEP(5)",
            "SELECT id FROM t GROUP BY SLEEP(5)",
            "SELECT id, ROW_NUMBER() OVER (ORDER BY SLEEP(1)) FROM t",
            "SELECT id, SUM(id) OVER (PARTITION BY SLEEP(1)) FROM t",
            "SELECT * FROM t WINDOW w AS (ORDER BY SLEEP(1))",
            "SELECT * FROM t UNION SELECT * FROM u ORDER BY SLEEP(1)",
            "(SELECT * FROM t ORDER BY SLEEP(1))",
            "SELECT * FROM t WHERE id = (SELECT id FROM u ORDER BY SLEEP(1) LIMIT 1)",
            "UPDATE t SET a = 1 WHERE id = 1 ORDER BY SLEEP(1)",
            "DELETE FROM t WHERE id = 1 ORDER BY SLEEP(1)",
            "INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = SLEEP(1)",
            "INSERT INTO t SET a = SLEEP(1)",
            "SELECT id FROM t WHERE a = CAST(SLEEP(1) AS CHAR)",
            "SELECT TRIM(BOTH 'x' FROM SLEEP(1)) FROM t",
            "SELECT JSON_OBJECT('a', SLEEP(1)) FROM t",
            "SELECT CASE WHEN SLEEP(1) THEN 1 END FROM t",
            "SELECT GROUP_CONCAT(id ORDER BY SLEEP(1)) FROM t",
    })
    void aDeniedFunctionIsSeenInEveryClause(String sql) {
        assertTrue(SqlParser.parse(sql).functions().contains("sleep"), sql + " -> " + SqlParser.parse(sql).functions());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM t ORDER BY (SELECT COUNT(*) FROM mysql.user)",
            "SELECT id FROM t GROUP BY (SELECT 1 FROM mysql.user)",
            "UPDATE t SET a = 1 WHERE id = 1 ORDER BY (SELECT 1 FROM mysql.user)",
            "INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = (SELECT 1 FROM mysql.user)",
            "SELECT id, SUM(id) OVER (PARTITION BY (SELECT 1 FROM mysql.user)) FROM t",
            // a common table expression hides a table of its name only where the database lets it
            "WITH mysql_user AS (SELECT * FROM mysql.user) SELECT * FROM t",
            "SELECT * FROM t WHERE id IN (WITH x AS (SELECT 1) SELECT * FROM x) ORDER BY (SELECT 1 FROM mysql.user)",
    })
    void aTableIsSeenInEveryClause(String sql) {
        assertTrue(SqlParser.parse(sql).tables().contains("mysql.user"), sql + " -> " + SqlParser.parse(sql).tables());
    }

    @Test
    void aCommonTableExpressionIsNotATableWhereItIsInScope() {
        assertEquals(Set.of("direct_table"), SqlParser.parse(
                "WITH recent AS (SELECT id FROM direct_table ORDER BY id DESC LIMIT 5) SELECT * FROM recent ORDER BY (SELECT MAX(id) FROM recent)").tables());
        // outside its own WITH the name means the table again
        assertTrue(SqlParser.parse("SELECT * FROM t WHERE id IN (WITH secrets AS (SELECT 1) SELECT * FROM secrets) "
                + "ORDER BY (SELECT 1 FROM secrets)").tables().contains("secrets"));
        // inside its own body a non-recursive one reads the table of that name
        assertTrue(SqlParser.parse("WITH secrets AS (SELECT * FROM secrets) SELECT * FROM secrets").tables().contains("secrets"));
        // MariaDB has no WITH before INSERT, UPDATE or DELETE: there its names would hide the table written
        for (String sql : new String[]{"WITH secrets AS (SELECT 1) INSERT INTO secrets SELECT * FROM secrets",
                "WITH secrets AS (SELECT 1) UPDATE secrets SET a = 1 WHERE id = 1", "WITH secrets AS (SELECT 1) DELETE FROM secrets WHERE id = 1"}) {
            SqlRejectedException refused = org.junit.jupiter.api.Assertions.assertThrows(SqlRejectedException.class, () -> SqlParser.parse(sql));
            assertTrue(Set.of("SQL_UNSUPPORTED", "SQL_PARSE_ERROR").contains(refused.code()), sql + ": " + refused.getMessage());
        }
        assertTrue(SqlParser.parse("INSERT INTO t (a) WITH x AS (SELECT 1) SELECT * FROM x").tables().contains("t"));
    }

    @Test
    void qualifiersOfColumnsAreNotTables() {
        assertEquals(Set.of("direct_table", "random_table"), SqlParser.parse(
                "SELECT a.id, b.column1, a.* FROM direct_table a JOIN random_table b ON a.id = b.id ORDER BY a.id").tables());
    }

    @Test
    void aLockingSubqueryAnywhereMakesTheStatementAWrite() {
        assertFalse(SqlParser.parse("SELECT * FROM t ORDER BY (SELECT id FROM u LIMIT 1 FOR UPDATE)").read());
        assertFalse(SqlParser.parse("SELECT id FROM t UNION SELECT id FROM u FOR UPDATE").read());
        assertTrue(SqlParser.parse("SELECT * FROM t ORDER BY (SELECT id FROM u LIMIT 1)").read());
    }

    @Test
    void niladicFunctionsWithoutParenthesesAreCalls() {
        assertEquals(Set.of("current_user", "current_role", "localtime", "utc_timestamp", "current_timestamp", "current_date"),
                SqlParser.parse("SELECT CURRENT_USER, current_role, LOCALTIME, UTC_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_DATE() FROM t")
                        .functions());
        // quoted, or qualified, it is a column again
        assertEquals(Set.of(), SqlParser.parse("SELECT `current_user`, t.current_role FROM t").functions());
    }
}
