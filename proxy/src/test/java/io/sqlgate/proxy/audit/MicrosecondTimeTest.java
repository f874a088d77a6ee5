package io.sqlgate.proxy.audit;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MicrosecondTimeTest {
    private final MicrosecondTime converter = new MicrosecondTime();

    @Test
    void writesSixFractionalDigitsCutToTheMicrosecondAndReadsThemBack() {
        LocalDateTime time = LocalDateTime.of(2026, 12, 4, 21, 46, 22, 123_456_789);
        assertEquals("2026-12-04 21:46:22.123456", converter.convertToPersistedValue(time, null));
        assertEquals("2026-12-04 21:46:22.000007", converter.convertToPersistedValue(time.withNano(7_000), null));
        assertEquals(time.withNano(123_456_000), converter.convertToEntityValue("2026-12-04 21:46:22.123456", null));
        assertEquals(time.withNano(0), converter.convertToEntityValue("2026-12-04 21:46:22", null));
        assertNull(converter.convertToPersistedValue(null, null));
        assertNull(converter.convertToEntityValue(null, null));
    }
}
