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
            SELECT c FROM sbtest1 WHERE id = 42                          | select c from sbtest1 where id = ?
            select  c\\nFROM sbtest1 -- a comment\\n WHERE ID=?            | select c from sbtest1 where id = ?
            SELECT /* hint-like, but plain */ c FROM t WHERE id = 'x'    | select c from t where id = ?
            SELECT `Id`, `a'b` FROM `Direct_Table` WHERE Id = 1           | select `Id`, `a'b` from `Direct_Table` where id = ?
            SELECT * FROM t WHERE c IN (1, -2, 'x', N'y', X'41', b'01')  | select * from t where c in (...)
            SELECT * FROM t WHERE c IN (?)                               | select * from t where c in (...)
            SELECT * FROM t WHERE c IN (?, ?, ?) AND d IN (SELECT 1)     | select * from t where c in (...) and d in (select ?)
            SELECT * FROM t WHERE c IN (a, 1)                            | select * from t where c in (a, ?)
            INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, _utf8mb4'z') | insert into t(a, b) values (...)
            INSERT INTO t (a) VALUE (1) ON DUPLICATE KEY UPDATE a = VALUES(a) | insert into t(a) value (...) on duplicate key update a = values (a)
            SELECT 0x1f, 1.5e-3, 5., DATE '2024-01-01', INTERVAL 1 DAY  | select ?, ?, ?, date ?, interval ? day
            SELECT COUNT(*) FROM t WHERE a.b <= -1 LIMIT 10 OFFSET 5     | select count(*) from t where a.b <= - ? limit ? offset ?
            SELECT 'it''s', '?' FROM t                                   | select ?, ? from t
            """)
    void valuesCaseCommentsAndSpacingAreTakenOut(String sql, String digest) {
        assertEquals(digest, SqlDigest.of(sql.replace("\\n", "\n")).text());
    }

    @Test
    void statementsThatDifferInWhatTheyTouchOrDoDoNotShareADigest() {
        List<String> different = List.of("SELECT id FROM t WHERE id = 1", "SELECT id FROM u WHERE id = 1",
                "SELECT id FROM t WHERE id = 1 OR 1 = 1", "SELECT `id` FROM t WHERE id = 1", "SELECT id FROM t WHERE id = a",
                "SELECT id FROM t WHERE id IN (1) OR id IN (2)", "SELECT id FROM t WHERE id IN (1, a)",
                "SELECT `select` FROM t WHERE id = 1", "DELETE FROM t WHERE id = 1", "DELETE FROM t");
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
    void namesQuotedOrNotAreTheSameButForQuoting() {
        SqlDigest client = SqlDigest.of("SELECT Id FROM Direct_Table WHERE id = 1");
        SqlDigest canonical = SqlDigest.of("SELECT `Id` FROM `Direct_Table` WHERE `id` = 2");
        assertNotEquals(client.text(), canonical.text());
        assertEquals(true, client.sameButForQuoting(canonical));
        assertEquals(false, client.sameButForQuoting(SqlDigest.of("SELECT `Id` FROM `Direct_Table` WHERE `id` <> 2")));
    }
}
