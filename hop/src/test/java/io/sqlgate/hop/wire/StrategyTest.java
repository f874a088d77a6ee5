package io.sqlgate.hop.wire;

import io.sqlgate.hop.Refusal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrategyTest {
    @Test
    void parsesTheThreeNamesStrictly() {
        assertEquals(Strategy.DIRECT, Strategy.parse(null));
        assertEquals(Strategy.DIRECT, Strategy.parse("direct"));
        assertEquals(Strategy.RANDOM, Strategy.parse("random"));
        assertEquals(Strategy.CUSTOMIZED, Strategy.parse("customized"));
        Refusal e = assertThrows(Refusal.class, () -> Strategy.parse("RANDOM"));
        assertEquals("STRATEGY_UNKNOWN", e.code());
        assertTrue(e.getMessage().contains("direct, random, customized"), e.getMessage());
        assertThrows(Refusal.class, () -> Strategy.parse(""));
    }
}
