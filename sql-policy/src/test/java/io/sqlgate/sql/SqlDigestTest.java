package io.sqlgate.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A statement's digest: its tokens, read the database's way, with the values taken out. */
class SqlDigestTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT c FROM sbtest1 WHERE id = 42                          | SELECT c FROM sbtest1 WHERE id = ?
            SELECT  c\\nFROM sbtest1 -- a comment\\n WHERE id=?            | SELECT c FROM sbtest1 WHERE id = ?
            SELECT /* hint-like, but plain */ c FROM t WHERE id = 'x'    | SELECT c FROM t WHERE id = ?
            SELECT `Id`, `a'b` FROM `Direct_Table` WHERE Id = 1           | SELECT `Id`, `a'b` FROM `Direct_Table` WHERE Id = ?
            SELECT * FROM t WHERE c IN (1, -2, 'x', N'y', X'41', b'01')  | SELECT * FROM t WHERE c IN (...)
            select * from t where c in (?)                               | select * from t where c in (...)
            SELECT * FROM t WHERE c IN (?, ?, ?) AND d IN (SELECT 1)     | SELECT * FROM t WHERE c IN (...) AND d IN (SELECT ?)
            SELECT * FROM t WHERE c IN (a, 1)                            | SELECT * FROM t WHERE c IN (a, ?)
            INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, _utf8mb4'z') | INSERT INTO t(a, b) VALUES (...)
            INSERT INTO t (a) VALUE (1) ON DUPLICATE KEY UPDATE a = VALUES(a) | INSERT INTO t(a) VALUE (...) ON DUPLICATE KEY UPDATE a = VALUES (a)
            SELECT 0x1f, 1.5e-3, 5., DATE '2024-01-01', INTERVAL 1 DAY  | SELECT ?, ?, ?, DATE ?, INTERVAL ? DAY
            SELECT COUNT(*) FROM t WHERE a.b <= -1 LIMIT 10 OFFSET 5     | SELECT COUNT(*) FROM t WHERE a.b <= - ? LIMIT ? OFFSET ?
            SELECT 'it''s', '?' FROM t                                   | SELECT ?, ? FROM t
            """)
    void valuesCommentsAndSpacingAreTakenOut(String sql, String digest) {
        assertEquals(digest, SqlDigest.of(sql.replace("\\n", "\n")).text());
    }

    @Test
    void statementsThatDifferInWhatTheyTouchOrDoDoNotShareADigest() {
        List<String> different = List.of("SELECT id FROM t WHERE id = 1", "SELECT id FROM u WHERE id = 1",
                "SELECT id FROM t WHERE id = 1 OR 1 = 1", "SELECT `id` FROM t WHERE id = 1", "SELECT id FROM t WHERE id = a",
                "SELECT id FROM t WHERE id IN (1) OR id IN (2)", "SELECT id FROM t WHERE id IN (1, a)",
                "SELECT `select` FROM t WHERE id = 1", "DELETE FROM t WHERE id = 1", "DELETE FROM t",
                // two tables to the database
                "SELECT id FROM T WHERE id = 1", "SELECT id FROM `T` WHERE id = 1");
        for (String one : different) {
            for (String other : different) {
                if (one != other) {
                    assertNotEquals(SqlDigest.of(one).text(), SqlDigest.of(other).text(), one + " / " + other);
                }
            }
        }
    }

    @Test
    void theValuesAreWhatTheDigestLeavesOutInOrder() {
        List<String> values = SqlDigest.of("INSERT INTO t (a, b) VALUES (1, - 2), (3, 'x') -- c\n ON DUPLICATE KEY UPDATE b = N'y'")
                .slots().stream().map(SqlDigest.Slot::text).toList();
        assertEquals(List.of("(1, -2), (3, 'x')", "N'y'"), values);
    }

    @Test
    void namesQuotedOrNotAndKeywordsInCapitalsAreTheSameButForQuoting() {
        SqlDigest client = SqlDigest.of("select Id from Direct_Table where id = 1");
        SqlDigest canonical = SqlDigest.of("SELECT `Id` FROM `Direct_Table` WHERE `id` = 2");
        assertNotEquals(client.text(), canonical.text());
        assertEquals(true, client.sameButForQuoting(canonical));
        assertEquals(false, client.sameButForQuoting(SqlDigest.of("SELECT `Id` FROM `Direct_Table` WHERE `id` <> 2")));
    }
}
