package io.sqlgate.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Texts that JSqlParser reads as harmless but MariaDB runs differently. Each of the first group passed every
 * check before the lexical checks existed and, sent through the chain, ran on the database: the hidden
 * UNION read information_schema, the hidden OR turned a one-row UPDATE into a whole-table one, and the
 * others ran SLEEP or VERSION(), which the policy refuses. The lexer is an allow-list: the second group are
 * tokens nobody had listed as dangerous; they are refused because they are not on the list.
 */
class SqlLexerTest {

    @ParameterizedTest
    @ValueSource(strings = {
            // MySQL/MariaDB executable comments and optimizer hints: a comment to JSqlParser, code to the database
            "/*!50000 DROP TABLE direct_table */",
            "SELECT 1 FROM direct_table /*!50000 ; DROP TABLE direct_table */",
            "SELECT column1 FROM direct_table WHERE id < 0 /*!50000 UNION SELECT table_name FROM information_schema.tables */",
            "UPDATE direct_table SET column2 = 'x' WHERE id = -1 /*! OR 1=1 */",
            "DELETE FROM direct_table WHERE id = -1 /*!OR 1=1*/",
            "SELECT /*! SLEEP(3) */ 1 FROM direct_table",
            "SELECT * FROM direct_table /*M! , mysql.user */",
            "SELECT * FROM direct_table /*m!100000 , mysql.user */",
            "SELECT /*+ SET_VAR(sql_mode='') */ * FROM direct_table",
            "SELECT /*+ MAX_EXECUTION_TIME(1) */ * FROM direct_table",
            // "--" with no space after it is a comment to JSqlParser, two minus signs to the database
            "SELECT id FROM direct_table WHERE id = 1 --1 OR SLEEP(5)\n LIMIT 1",
            "SELECT * FROM direct_table --; DROP TABLE t",
            // a carriage return ends a "--" comment for JSqlParser only
            "SELECT id -- \r 'x\n, VERSION() -- '\nFROM direct_table",
            // a backslash escapes a quote for the database, not for JSqlParser
            "SELECT column1 FROM direct_table WHERE column1 = \"a\\\"\" OR SLEEP(5) -- \"",
            "SELECT column1 FROM direct_table WHERE column1 = 'a\\'' OR SLEEP(5) -- '",
            "SELECT * FROM direct_table WHERE column1 = 'a\\\\' OR id = 1",
            // '#' starts a comment for the database only
            "SELECT * FROM direct_table # ; DROP TABLE t",
            "SELECT * FROM direct_table WHERE id = 1 # '\n OR SLEEP(5) -- '",
            // quoting only JSqlParser knows
            "SELECT id $$, SLEEP(1) -- $$\nFROM direct_table",
            "SELECT id $a$, SLEEP(1) -- $a$\nFROM direct_table",
            "SELECT id q'[', SLEEP(1) -- ]'\nFROM direct_table",
            "SELECT id nq'[', SLEEP(1) -- ]'\nFROM direct_table",
            "SELECT column1 FROM direct_table WHERE column1 = E'a'",
            // JDBC escapes, rewritten by the driver after the check
            "SELECT {fn NOW()} FROM direct_table",
            // system variables: not functions, so the denied-function list does not see them
            "SELECT @@version FROM direct_table",
            "SELECT @@global.datadir, @@hostname FROM direct_table",
            // nesting and control characters
            "SELECT * FROM direct_table /* a /* b */ WHERE 1 = 1",
            "SELECT * FROM direct_table WHERE column1 = 'x'\u0000 OR SLEEP(1)",
            "SELECT * FROM direct_table WHERE column1 = 'x\u0000'",
            "SELECT * FROM direct_table\u000b WHERE 1 = 1",
            // '//' is a comment to JSqlParser and two divisions to MariaDB: these read and rewrote a table off the list
            "SELECT 4 //* */ 2, (SELECT secret FROM secret_table LIMIT 1)\n FROM direct_table LIMIT 1",
            "UPDATE direct_table SET column2 = 4 //*\n WHERE id = 1 -- */ 2",
            "SELECT id FROM direct_table // , (SELECT secret FROM secret_table)",
    })
    void textsTheDatabaseWouldReadDifferentlyAreRefused(String sql) {
        SqlRejectedException refused = assertThrows(SqlRejectedException.class, () -> SqlParser.parse(sql), sql);
        assertEquals("SQL_UNSUPPORTED", refused.code(), sql);
        assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT column1 FROM direct_table WHERE column1 = \"a\"",
            "SELECT @v := 'secret' FROM direct_table",
            "SELECT @v FROM direct_table",
            "SELECT id FROM direct_table WHERE id = :id",
            "SELECT id || column1 FROM direct_table",
            "SELECT id FROM direct_table WHERE id = 1 && 1",
            "SELECT !id FROM direct_table",
            "SELECT column1->'$.a' FROM direct_table",
            "SELECT [id] FROM direct_table",
            "SELECT a$b FROM direct_table",
            "SELECT 0X1f FROM direct_table",
            "SELECT .5 FROM direct_table",
            "SELECT 1abc FROM direct_table",
            "SELECT 1e FROM direct_table",
            "SELECT 0x FROM direct_table",
            "SELECT `weird``name` FROM direct_table",
            "SELECT `` FROM direct_table",
            "SELECT caf\u00e9 FROM direct_table",
            "SELECT id FROM direct_table\u00a0WHERE id = 1",
            "SELECT 2 */ 1 FROM direct_table",
            "SELECT _foo'x' FROM direct_table",
            "SELECT id FROM direct_table WHERE`id`=1 AND column1 = q'x'",
            "SELECT id FROM direct_table WHERE id = 1 --\r OR 1 = 1",
    })
    void tokensOffTheListAreRefused(String sql) {
        SqlRejectedException refused = assertThrows(SqlRejectedException.class, () -> SqlLexer.tokens(sql), sql);
        assertEquals("SQL_UNSUPPORTED", refused.code(), sql);
        assertTrue(refused.getMessage().contains("at character "), refused.getMessage());
    }

    @Test
    void tokensAreSplitAsTheDatabaseSplitsThem() {
        assertEquals(java.util.List.of("SELECT", "a", "<=", "b", "!=", "N'it''s'", ",", "_utf8mb4'x'", ",", "1.5e-3", ",", "0x1f",
                        ",", "`a b`", "FROM", "t", "WHERE", "x", "=", "?", ";"),
                SqlLexer.tokens("SELECT a <= b != N'it''s', _utf8mb4'x', 1.5e-3, 0x1f, `a b` /* c */ FROM t -- d\nWHERE x=?;"));
    }

    @Test
    void theCanonicalTextMayHoldNoComment() {
        assertEquals(java.util.List.of("SELECT", "1"), SqlLexer.tokens("SELECT 1 -- 1"));
        for (String sql : new String[]{"SELECT 1 -- 1", "SELECT 1 /* x */", "SELECT 1 --\n"}) {
            assertEquals("SQL_UNSUPPORTED", assertThrows(SqlRejectedException.class, () -> SqlLexer.tokens(sql, false)).code(), sql);
        }
    }

    @Test
    void unterminatedQuotesAreParseErrors() {
        for (String sql : new String[]{"SELECT 'x", "SELECT `x", "SELECT 1 /* x"}) {
            assertEquals("SQL_PARSE_ERROR", assertThrows(SqlRejectedException.class, () -> SqlLexer.tokens(sql)).code(), sql);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM direct_table /* a plain comment */ WHERE id = 1",
            "/* leading */ SELECT * FROM direct_table",
            "SELECT * FROM direct_table -- a comment\nWHERE id = 1",
            "SELECT * FROM direct_table --\tcomment\r\nWHERE id = 1",
            "SELECT * FROM direct_table WHERE id = 1 --",
            "SELECT * FROM direct_table WHERE id = 1 - -1",
            "SELECT * FROM direct_table WHERE column1 = 'it''s /*! not a comment */ -- nor this # nor this'",
            "SELECT * FROM direct_table WHERE column1 = 'say ''hi'' {fn} @@x $$ \" // # @v :x'",
            "SELECT * FROM direct_table WHERE column1 = N'x' OR column1 = X'41' OR column1 = B'0101'",
            "SELECT `direct_table`.`column1` FROM `direct_table` WHERE `id` = ?",
            "SELECT `a$b`, `caf\u00e9` FROM direct_table",
            "SELECT * FROM direct_table WHERE column1 = 'line one\nline two\ttab\rcr'",
            "INSERT INTO direct_table (column1, column2) VALUES ('caf\u00e9 \u2603 \uD83D\uDE00', '/*!x*/')",
    })
    void ordinaryTextIsStillAccepted(String sql) {
        ParsedStatement statement = SqlParser.parse(sql);
        assertTrue(statement.tables().contains("direct_table"), sql);
    }

    @Test
    void nestingBeyondTheLimitIsRefusedBeforeParsing() {
        String deep = "SELECT " + "(".repeat(SqlLexer.MAX_NESTING + 1) + "1" + ")".repeat(SqlLexer.MAX_NESTING + 1)
                + " FROM direct_table";
        assertEquals("SQL_TOO_COMPLEX", assertThrows(SqlRejectedException.class, () -> SqlParser.parse(deep)).code());
        // parentheses inside strings and comments do not count
        String quoted = "SELECT * FROM direct_table WHERE column1 = '" + "(".repeat(100) + "' /* " + "(".repeat(100) + " */";
        assertTrue(SqlParser.parse(quoted).tables().contains("direct_table"));
    }

    /**
     * Each nested subquery roughly doubles JSqlParser's time: a dozen levels, under 600 characters, took tens of
     * seconds on a tier's request thread before the deadline existed.
     */
    @Test
    void aStatementThatTakesTooLongToParseIsRefusedAtTheDeadline() {
        StringBuilder sql = new StringBuilder("SELECT id FROM random_table WHERE id > 1");
        for (int i = 0; i < 14; i++) {
            sql.insert(0, "SELECT id FROM direct_table WHERE id IN (").append(")");
        }
        long started = System.nanoTime();
        SqlRejectedException refused = assertThrows(SqlRejectedException.class, () -> SqlParser.parse(sql.toString()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals("SQL_TOO_COMPLEX", refused.code(), refused.getMessage());
        assertTrue(took.compareTo(ParseDeadline.LIMIT.plusSeconds(2)) < 0, "refused after " + took.toMillis() + " ms");
        // a refusal at the deadline is not remembered (the time depends on the machine's load too): the same statement
        // is checked again and refused again, within the deadline; the key's parser budget bounds what that costs
        long again = System.nanoTime();
        assertEquals("SQL_TOO_COMPLEX", assertThrows(SqlRejectedException.class, () -> SqlParser.parse(sql.toString())).code());
        assertTrue(Duration.ofNanos(System.nanoTime() - again).compareTo(ParseDeadline.LIMIT.plusSeconds(2)) < 0);
        // an ordinary nested statement is not affected
        assertEquals(StatementType.SELECT,
                SqlParser.parse("SELECT id FROM direct_table WHERE id IN (SELECT id FROM random_table WHERE id > 1)").type());
    }
}
