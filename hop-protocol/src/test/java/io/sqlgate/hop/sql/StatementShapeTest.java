package io.sqlgate.hop.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A statement's shape is its tokens with the values taken out: what the check's verdict depends on. */
class StatementShapeTest {

    private static String shape(String sql) {
        return SqlLexer.shape(SqlLexer.tokens(sql));
    }

    @Test
    void literalsOfEveryKindBecomePlaceholdersAndNamesStay() {
        assertEquals("select id , `a'b` , `Id` from direct_table where id = ? and column1 in ( ? , ? , ? , ? ) limit ?",
                shape("SELECT id, `a'b`, `Id` FROM Direct_Table /* c */ WHERE ID = 12 AND column1 IN ('x', N'y', X'41', 1.5e3) LIMIT 10"));
    }

    @Test
    void statementsThatDifferOnlyInValuesAndSpacingShareAShapeAndOthersDoNot() {
        assertEquals(shape("SELECT id FROM t WHERE id = 1"), shape("select  id\nFROM t -- x\n WHERE id = 'two'"));
        assertNotEquals(shape("SELECT id FROM t WHERE id = 1"), shape("SELECT id FROM u WHERE id = 1"));
        assertNotEquals(shape("SELECT id FROM t WHERE id = 1"), shape("SELECT id FROM t WHERE id = ?  OR 1 = 1"));
    }
}
