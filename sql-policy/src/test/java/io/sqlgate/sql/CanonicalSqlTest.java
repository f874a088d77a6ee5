package io.sqlgate.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text the database runs is the statement printed back from the tree the policy checked: comments are
 * gone, and with them anything that one reader took for a comment and the other did not.
 */
class CanonicalSqlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT id, column1 FROM direct_table WHERE id = ? LIMIT 10 | SELECT `id`, `column1` FROM `direct_table` WHERE `id` = ? LIMIT 10",
            "select /* a comment */ id from direct_table -- another\\n where id = 1; | SELECT `id` FROM `direct_table` WHERE `id` = 1",
            "SELECT  id\\n\\tFROM   direct_table | SELECT `id` FROM `direct_table`",
            "SELECT N'caf\u00e9', 'it''s', X'41' FROM direct_table | SELECT N'caf\u00e9', 'it''s', X'41' FROM `direct_table`",
            "INSERT INTO direct_table (column1, column2) VALUES (?, ?) ON DUPLICATE KEY UPDATE column2 = VALUES(column2)"
                    + " | INSERT INTO `direct_table` (`column1`, `column2`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `column2` = VALUES(`column2`)",
            "UPDATE direct_table SET column2 = column2 + 1 WHERE id = ? | UPDATE `direct_table` SET `column2` = `column2` + 1 WHERE `id` = ?",
            "DELETE FROM direct_table WHERE id = 1 ORDER BY id LIMIT 1 | DELETE FROM `direct_table` WHERE `id` = 1 ORDER BY `id` LIMIT 1",
            "SELECT m.id FROM main_db.direct_table AS m | SELECT `m`.`id` FROM `main_db`.`direct_table` AS `m`",
            "SELECT main_db.direct_table.id, t.* FROM main_db.direct_table, random_table t"
                    + " | SELECT `main_db`.`direct_table`.`id`, `t`.* FROM `main_db`.`direct_table`, `random_table` `t`",
    })
    void theCanonicalTextIsTheStatementWithoutComments(String sql, String canonical) {
        String printed = SqlParser.parse(sql.replace("\\n", "\n").replace("\\t", "\t")).canonicalSql();
        assertEquals(SqlLexer.tokens(canonical), SqlLexer.tokens(printed), printed);
        assertEquals(canonical, printed.replaceAll(" +", " "));
    }

    /**
     * Even were the lexer to let one of these through, the database would not run the hidden part: the canonical
     * text is what JSqlParser saw, and JSqlParser saw a comment.
     */
    @Test
    void whatTheParserTookForACommentIsNotInTheCanonicalText() throws Exception {
        String hidden = "SELECT 4 //* */ 2, (SELECT secret FROM secret_table LIMIT 1)\n FROM direct_table LIMIT 1";
        net.sf.jsqlparser.statement.Statement statement = ParseDeadline.parse(hidden).get(0);
        assertEquals("SELECT 4 FROM direct_table LIMIT 1", statement.toString());
        String update = "UPDATE direct_table SET column2 = 4 //*\n WHERE id = 1 -- */ 2";
        assertEquals("UPDATE direct_table SET column2 = 4 WHERE id = 1", ParseDeadline.parse(update).get(0).toString());
    }

    /**
     * A word JSqlParser takes for a name reaches the database backquoted, so the database takes it for a name too:
     * unquoted, {@code previous value FOR SHARE} is a column and its alias to JSqlParser and LASTVAL(share) to MariaDB.
     * Only words that cannot name a table or call a function stay bare: DEFAULT, the bare CURRENT_* calls, and a
     * function's unit argument.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT previous value FOR SHARE | SELECT `previous` `value` FOR SHARE",
            "SELECT next value FROM direct_table | SELECT `next` `value` FROM `direct_table`",
            "SELECT 1 AS 'label', id AS `quoted` FROM direct_table | SELECT 1 AS 'label', `id` AS `quoted` FROM `direct_table`",
            "UPDATE direct_table SET column2 = DEFAULT WHERE id = 1 | UPDATE `direct_table` SET `column2` = DEFAULT WHERE `id` = 1",
            "SELECT TIMESTAMPADD(DAY, 1, CURRENT_DATE), GET_FORMAT(DATE, 'EUR') FROM direct_table"
                    + " | SELECT TIMESTAMPADD(DAY, 1, CURRENT_DATE), GET_FORMAT(DATE, 'EUR') FROM `direct_table`",
            "SELECT day FROM direct_table | SELECT `day` FROM `direct_table`",
    })
    void wordsTheParserReadsAsNamesAreNamesToTheDatabase(String sql, String canonical) {
        assertEquals(canonical, SqlParser.parse(sql).canonicalSql());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM direct_table t1, LATERAL (SELECT t1.id) x",
            "SELECT * FROM (VALUES (1, 2)) v",
            "SELECT column1 FROM direct_table WHERE id = CONVERT(column1, CHAR)",
            "SELECT TRY_CAST(column1 AS INT) FROM direct_table",
            "SELECT CAST(column1 AS VARCHAR2(10)) FROM direct_table",
            "SELECT * FROM direct_table PIVOT (SUM(column2) FOR column1 IN ('a'))",
            "SELECT TOP 1 * FROM direct_table",
            "DELETE FROM direct_table WHERE id = 1 RETURNING *",
            "INSERT INTO direct_table (id) VALUES (1) ON CONFLICT (id) DO NOTHING",
            // PostgreSQL's ONLY: to MariaDB, table ONLY with the alias direct_table
            "SELECT * FROM ONLY direct_table",
            "INSERT INTO direct_table SELECT * FROM ONLY random_table",
            "SELECT id FROM direct_table WHERE id IN (SELECT id FROM ONLY random_table)",
            "SELECT * FROM direct_table FINAL",
            // MariaDB's table names have two parts at most
            "SELECT id FROM a.main_db.direct_table",
    })
    void constructsOutsideTheAcceptedNodesAreUnsupported(String sql) {
        SqlRejectedException refused = assertThrows(SqlRejectedException.class, () -> SqlParser.parse(sql), sql);
        assertTrue(Set.of("SQL_UNSUPPORTED", "SQL_PARSE_ERROR").contains(refused.code()), sql + ": " + refused.getMessage());
    }

    /** A flat chain of operators is a tree as deep as it is long: printing it back overflowed the stack. */
    @Test
    void longOperatorChainsAreTooComplexNotACrash() {
        for (String sql : new String[]{"SELECT " + "1+".repeat(4000) + "1", "SELECT id FROM direct_table WHERE " + "id = 1 OR ".repeat(700) + "id = 2",
                "SELECT " + "1+".repeat(SqlLexer.MAX_OPERATORS + 1) + "1"}) {
            assertEquals("SQL_TOO_COMPLEX", assertThrows(SqlRejectedException.class, () -> SqlParser.parse(sql)).code());
        }
        assertEquals(StatementType.SELECT, SqlParser.parse("SELECT " + "1+".repeat(200) + "1 FROM direct_table").type());
    }

    @Test
    void aStatementThatIsNotOneOfTheFourIsOtherAndHasNoText() {
        for (String sql : new String[]{"VALUES (1, 2)", "TABLE direct_table", "REPLACE INTO direct_table (id) VALUES (1)"}) {
            ParsedStatement statement = SqlParser.parse(sql);
            assertEquals(StatementType.OTHER, statement.type(), sql);
            assertNull(statement.canonicalSql(), sql);
        }
    }

    @Test
    void onlyCheckedDataStatementsCallingListedFunctionsAreProvenToLeaveNoSessionState() {
        for (String sql : new String[]{"SELECT id, UPPER(column1) FROM direct_table WHERE id = ?", "INSERT INTO direct_table (column1) VALUES (?)",
                "UPDATE direct_table SET column2 = NOW() WHERE id = 1", "SELECT * FROM direct_table WHERE id = 1 FOR UPDATE"}) {
            assertTrue(SqlPolicy.provenStateless(sql), sql);
        }
        for (String sql : new String[]{"SELECT @v := 'x'", "SELECT GET_LOCK('k', 0)", "SELECT LAST_INSERT_ID(5)", "SET @@session.sql_mode = ''",
                "PREPARE s FROM 'SELECT 1'", "USE mysql", "START TRANSACTION", "CREATE TEMPORARY TABLE t (x INT)", "SELECT NEXTVAL(s)",
                "SELECT `concat`('a')", "not sql at all", ""}) {
            assertFalse(SqlPolicy.provenStateless(sql), sql);
        }
    }

    @Test
    void placeholdersAreCountedWhereverTheyAre() {
        assertEquals(4, SqlParser.parse("SELECT id FROM direct_table WHERE id IN (?, ?) AND column1 = ? LIMIT ?").placeholders());
        assertEquals(0, SqlParser.parse("SELECT '?' FROM direct_table").placeholders());
        assertEquals(2, SqlParser.parse("INSERT INTO direct_table (column1, column2) VALUES (?, ?)").placeholders());
    }

    @Test
    void commonStatementsArePrintedBackAsWritten() {
        String[] statements = {
                "SELECT a.id, b.id FROM direct_table a JOIN random_table b ON a.id = b.id LEFT JOIN customized_table c USING (id)",
                "SELECT id, ROW_NUMBER() OVER (PARTITION BY column1 ORDER BY id) AS rn FROM direct_table WINDOW w AS (ORDER BY id)",
                "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r, direct_table",
                "SELECT CAST(id AS CHAR), CAST(1 AS DECIMAL(10, 2)), CONVERT(column1 USING utf8mb4) FROM direct_table",
                "SELECT DATE_ADD(NOW(), INTERVAL 1 DAY), EXTRACT(YEAR FROM NOW()), CURRENT_TIMESTAMP FROM direct_table",
                "SELECT GROUP_CONCAT(DISTINCT column1 ORDER BY id SEPARATOR ',') FROM direct_table",
                "SELECT JSON_OBJECT('a', id), JSON_ARRAY(1, 2), JSON_EXTRACT(column1, '$.a'), JSON_ARRAYAGG(id) FROM direct_table",
                "SELECT * FROM direct_table WHERE MATCH (column1) AGAINST ('x' IN BOOLEAN MODE)",
                "SELECT * FROM direct_table WHERE id = 1 FOR UPDATE SKIP LOCKED",
                "SELECT id <=> NULL, id & 1, id << 2, 7 DIV 2, id XOR 1 FROM direct_table",
                "SELECT DATE '2020-01-01', column1 COLLATE utf8mb4_bin, BINARY column1 FROM direct_table LIMIT 2, 3",
                "SELECT id FROM direct_table INTERSECT SELECT id FROM direct_table",
                "SELECT * FROM direct_table USE INDEX (PRIMARY) WHERE id = ANY (SELECT id FROM direct_table)",
                "INSERT INTO direct_table SET column1 = 'a', column2 = 1",
                "UPDATE direct_table d JOIN random_table r ON d.id = r.id SET d.column2 = r.column2 WHERE d.id = 1",
        };
        for (String sql : statements) {
            ParsedStatement statement = SqlParser.parse(sql);
            assertTrue(statement.tables().contains("direct_table"), sql + " -> " + statement.tables());
            // printed back token for token: only the spacing and the names' backquotes may differ
            assertEquals(SqlLexer.tokens(sql), SqlLexer.tokens(statement.canonicalSql().replace("`", "")), statement.canonicalSql());
        }
    }
}
