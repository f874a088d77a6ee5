package io.sqlgate.hop.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerdictCacheTest {
    @Test
    void staysWithinItsCapacityWhateverIsPutInIt() {
        VerdictCache<String, Integer> cache = new VerdictCache<>(100);
        for (int i = 0; i < 100_000; i++) {
            cache.put("SELECT " + i, i);
            assertTrue(cache.size() <= 100, "size " + cache.size() + " after " + i);
        }
        assertEquals(99_999, cache.get("SELECT 99999"));
        assertNull(cache.get("SELECT 1"));
    }

    @Test
    void keepsWhatIsInUseAcrossGenerations() {
        VerdictCache<String, Integer> cache = new VerdictCache<>(10);
        cache.put("hot", 1);
        for (int i = 0; i < 1_000; i++) {
            cache.put("cold " + i, i);
            assertEquals(1, cache.get("hot"), "lost after " + i);
        }
    }

    @Test
    void aRepeatedStatementIsParsedOnce() {
        String sql = "SELECT id FROM direct_table WHERE id = ? /* verdict cache */";
        assertSame(SqlParser.parse(sql), SqlParser.parse(sql));
    }

    @Test
    void refusalsAreNotRemembered() {
        for (int i = 0; i < 2; i++) {
            SqlRejectedException e = org.junit.jupiter.api.Assertions.assertThrows(SqlRejectedException.class,
                    () -> SqlParser.parse("SELECT 1; SELECT 2"));
            assertEquals("SQL_MULTIPLE_STATEMENTS", e.code());
        }
    }
}
