package io.sqlgate.proxy.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A value is counted at no less than its JSON encoding takes, so the answer sent never exceeds the budget. */
class ResultBudgetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachValueCostsAtLeastItsJsonBytes() throws Exception {
        List<Object> values = Arrays.asList(null, true, false, 0, -1L, Long.MIN_VALUE, 1.5e300, new BigDecimal("-1234567890.123456789e-20"),
                "", "plain", "quote \" and backslash \\", "control \u0000\u0001\n\t", "caf\u00e9", "\u2603 snow", "\uD83D\uDE00 emoji",
                "\u007f\u0080\u07ff\u0800\uffff");
        for (Object value : values) {
            long encoded = JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8).length;
            assertTrue(ResultBudget.size(value) >= encoded, value + ": counted " + ResultBudget.size(value) + ", encoded " + encoded);
        }
    }

    @Test
    void theBudgetRunsOutAtItsLimitAndNotBefore() {
        ResultBudget budget = new ResultBudget(100);
        String value = "x".repeat(47); // 49 bytes quoted, 50 with its comma
        assertTrue(budget.spend(value));
        assertTrue(budget.spend(value));
        assertFalse(budget.spend(null));
    }
}
