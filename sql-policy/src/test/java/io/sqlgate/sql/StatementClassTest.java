package io.sqlgate.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
    void aSignedClassMustBeTheOneReadHere() {
        ParsedStatement lockingRead = SqlParser.parse("SELECT * FROM direct_table FOR SHARE");
        assertDoesNotThrow(() -> StatementClass.crossCheck("locking-read", lockingRead));
        assertDoesNotThrow(() -> StatementClass.crossCheck(null, lockingRead));
        SqlRejectedException e = assertThrows(SqlRejectedException.class, () -> StatementClass.crossCheck("read", lockingRead));
        assertEquals("STATEMENT_CLASS_MISMATCH", e.code());
        assertEquals(403, e.status());
        ParsedStatement drop = SqlParser.parse("DROP TABLE direct_table");
        assertEquals("STATEMENT_CLASS_MISMATCH", assertThrows(SqlRejectedException.class,
                () -> StatementClass.crossCheck("delete", drop)).code());
        assertFalse(lockingRead.read());
        assertTrue(StatementClass.READ.read());
    }
}
