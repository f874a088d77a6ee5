package io.sqlgate.hop.wire;

import io.sqlgate.hop.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditQueryTest {

    private static AuditQuery parameters(String query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.computeIfAbsent(parts[0], name -> new java.util.ArrayList<>()).add(parts[1]);
        }
        return AuditQuery.ofParameters(parameters);
    }

    @Test
    void readsEveryFilterAndTheirTimesToTheMicrosecond() {
        AuditQuery.Checked checked = parameters("requestId=r-1&keyName=app&table=main_db.direct_table"
                + "&from=2026-12-04T21:00:00.1234567Z&to=2026-12-04T22:00:00Z&limit=5").check();
        assertEquals("r-1", checked.requestId());
        assertEquals("app", checked.keyName());
        assertEquals("main_db.direct_table", checked.table());
        assertEquals(Instant.parse("2026-12-04T21:00:00.123456Z"), checked.from());
        assertEquals(Instant.parse("2026-12-04T22:00:00Z"), checked.to());
        assertEquals(5, checked.limit());
        assertNull(checked.before());
        assertEquals(AuditQuery.DEFAULT_LIMIT, AuditQuery.ofParameters(Map.of()).check().limit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=51", "limit=x", "limit=99999999999", "from=yesterday", "to=2026-12-04",
            "from=2026-12-04T22:00:00Z&to=2026-12-04T22:00:00Z", "table=a;b", "table=a.b.c", "table=`t`", "before=x",
            "before=MTIzLjQ1Ng%3D", "requestId=a&requestId=b", "sql=SELECT 1", "keyName=a\tb", "from=+1000000000-01-01T00:00:00Z",
            "to=-2026-06-01T00:00:00Z", "from=0999-12-31T23:59:59Z", "to=+10000-01-01T00:00:00Z"})
    void refusesWhatIsNoSearchWithA400NamingIt(String query) {
        Refusal refused = assertThrows(Refusal.class, () -> parameters(query).check());
        assertEquals(400, refused.status());
        assertEquals("AUDIT_QUERY_INVALID", refused.code());
        assertTrue(refused.getMessage().length() > 10, refused.getMessage());
    }

    @Test
    void refusesTooLongTexts() {
        assertThrows(Refusal.class, () -> parameters("requestId=" + "r".repeat(65)).check());
        assertDoesNotThrow(() -> parameters("requestId=" + "r".repeat(64)).check());
        assertThrows(Refusal.class, () -> parameters("keyName=" + "k".repeat(256)).check());
    }

    @Test
    void aPagesCursorLeadsToTheEntriesBelowIt() {
        AuditQuery.Cursor cursor = new AuditQuery.Cursor(Instant.parse("2026-12-04T21:46:22.123456Z"), 1082785);
        AuditQuery.Checked next = parameters("before=" + cursor.encode()).check();
        assertEquals(cursor, next.before());
        assertTrue(cursor.encode().matches("[A-Za-z0-9_-]+"), "safe in a URL as it is: " + cursor.encode());
        for (String forged : List.of("1796424282542804.-1", "9000000000000000000.1", "-9000000000000000000.1", "1.2.3")) {
            String text = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThrows(Refusal.class, () -> parameters("before=" + text).check(), forged);
        }
    }

    @Test
    void onlyTheAuditorRoleIsLetThrough() {
        AuditQuery search = AuditQuery.ofParameters(Map.of());
        assertDoesNotThrow(() -> search.signedFor("audit-key", AuditQuery.AUDITOR).requireAuditor());
        for (String role : new String[]{"reader", "writer", "AUDITOR", null}) {
            Refusal refused = assertThrows(Refusal.class, () -> search.signedFor("k", role).requireAuditor());
            assertEquals(403, refused.status());
            assertEquals("ROLE_FORBIDDEN", refused.code());
        }
    }
}
