package io.sqlgate.hop.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatementClassTest {
    @Test
    void classifiesWhatTheParserRead() {
        assertEquals(StatementClass.READ, StatementClass.of(SqlParser.parse("SELECT * FROM direct_table")));
        assertEquals(StatementClass.LOCKING_READ, StatementClass.of(SqlParser.parse("SELECT * FROM direct_table FOR UPDATE")));
        assertEquals(StatementClass.INSERT, StatementClass.of(SqlParser.parse("INSERT INTO direct_table (a) VALUES (1)")));
        assertEquals(StatementClass.UPDATE, StatementClass.of(SqlParser.parse("UPDATE direct_table SET a = 1 WHERE id = 2")));
        assertEquals(StatementClass.DELETE, StatementClass.of(SqlParser.parse("DELETE FROM direct_table WHERE id = 2")));
        assertNull(StatementClass.of(SqlParser.parse("DROP TABLE direct_table")));
    }

    @Test
    void travelsByItsWireNameOnly() {
        for (StatementClass value : StatementClass.values()) {
            assertEquals(value, StatementClass.fromWire(value.wireName()));
        }
        assertEquals("locking-read", StatementClass.LOCKING_READ.wireName());
        SqlRejectedException e = assertThrows(SqlRejectedException.class, () -> StatementClass.fromWire("READ"));
        assertEquals("STATEMENT_CLASS_INVALID", e.code());
    }

    @Test
    void aSignedClassIsUsedAndOtherwiseTheTextIsParsed() {
        assertEquals(StatementClass.INSERT, StatementClass.resolve("insert", "this text is not parsed"));
        StatementClass parsed = StatementClass.resolve(null, "SELECT * FROM direct_table FOR SHARE");
        assertEquals(StatementType.SELECT, parsed.type());
        assertFalse(parsed.read());
        assertTrue(StatementClass.READ.read());
        assertEquals(StatementType.OTHER, StatementClass.typeOf(StatementClass.resolve(null, "DROP TABLE direct_table")));
    }
}
