package io.sqlgate.proxy.limits;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sqlgate.http.ApiException;
import io.sqlgate.http.Permit;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.proxy.ProxyConfiguration;
import org.junit.jupiter.api.Test;

import io.sqlgate.testkit.Eventually;

import java.lang.reflect.Proxy;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyBulkheadsTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private KeyBulkheads bulkheads(int readers, int writers, double share, int poolSize) {
        return bulkheads(readers, writers, share, poolSize, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    private KeyBulkheads bulkheads(int readers, int writers, double share, int poolSize, Duration perSecond, Duration burst) {
        ProxyConfiguration configuration = new ProxyConfiguration(
                new ProxyConfiguration.Database("u", "p", poolSize, Duration.ofSeconds(1), Duration.ofSeconds(10), 100, 1 << 20,
                        ProxyConfiguration.ServerFlavour.MARIADB),
                new ProxyConfiguration.Monitor("m", "p", Duration.ofSeconds(1), Duration.ofSeconds(1), 3, 2, 1000, 0.3, Duration.ofSeconds(10)),
                new ProxyConfiguration.Writer(null, false), new ProxyConfiguration.Routing(0.05), new ProxyConfiguration.Limits(readers, writers, share, perSecond, burst),
                new ProxyConfiguration.Audit(true, false), new ProxyConfiguration.Statistics(100, 10, true));
        return new KeyBulkheads(configuration, new NodeProgress(), meters);
    }

    private static QueryRequest from(String key, String role) {
        return new QueryRequest("SELECT 1", null, null, "read", key, role);
    }

    @Test
    void anAuditorsKeyRunsAtMostTwoSearchesAtOnce() {
        KeyBulkheads bulkheads = bulkheads(8, 16, 1.0, 16);
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < KeyBulkheads.AUDITOR_IN_FLIGHT; i++) {
            held.add(bulkheads.enter(from("auditor", "auditor")));
        }
        assertEquals("CONCURRENCY_LIMITED", assertThrows(ApiException.class, () -> bulkheads.enter(from("auditor", "auditor"))).code());
        assertEquals(2, KeyBulkheads.AUDITOR_IN_FLIGHT);
        held.forEach(Permit::close);
    }

    @Test
    void aKeyAtItsLimitIsRefusedAtOnceAndOthersAreNot() {
        KeyBulkheads bulkheads = bulkheads(2, 3, 1.0, 16);
        List<Permit> held = new ArrayList<>();
        held.add(bulkheads.enter(from("alice", "reader")));
        held.add(bulkheads.enter(from("alice", "reader")));
        ApiException refused = assertThrows(ApiException.class, () -> bulkheads.enter(from("alice", "reader")));
        assertEquals("CONCURRENCY_LIMITED", refused.code());
        assertEquals(429, refused.status());
        assertEquals("1", refused.headers().get("Retry-After"));
        // another key, and a writer's larger limit, are unaffected
        held.add(bulkheads.enter(from("bob", "reader")));
        for (int i = 0; i < 3; i++) {
            held.add(bulkheads.enter(from("carol", "writer")));
        }
        assertThrows(ApiException.class, () -> bulkheads.enter(from("carol", "writer")));
        assertEquals(2.0, meters.get("sqlgate.proxy.key_in_flight").tag("key", "alice").gauge().value());
        // a statement that ends frees its place
        held.get(0).close();
        held.add(bulkheads.enter(from("alice", "reader")));
        assertThrows(ApiException.class, () -> bulkheads.enter(from("alice", "reader")));
        held.forEach(Permit::close);
        assertEquals(0.0, meters.get("sqlgate.proxy.key_in_flight").tag("key", "alice").gauge().value());
    }

    @Test
    void noKeyHoldsMoreThanItsShareOfAPoolAndUnnamedRequestsHaveAReadersLimit() {
        KeyBulkheads bulkheads = bulkheads(8, 8, 0.25, 8); // two connections of eight
        bulkheads.enter(from("alice", "writer"));
        bulkheads.enter(from("alice", "writer"));
        assertThrows(ApiException.class, () -> bulkheads.enter(from("alice", "writer")));
        KeyBulkheads readers = bulkheads(1, 5, 1.0, 16);
        readers.enter(from(null, null));
        assertThrows(ApiException.class, () -> readers.enter(from(null, "writer-or-not")));
    }

    /** A statement as far as the watch sees it: something that can be cancelled. */
    private static Statement cancellable(AtomicBoolean cancelled) {
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[]{Statement.class}, (proxy, method, args) -> {
            if (method.getName().equals("cancel")) {
                cancelled.set(true);
            }
            return null;
        });
    }

    @Test
    void aKeyThatSpentItsStatementTimeHasItsRunningStatementCancelledAndWaits() {
        try (KeyBulkheads bulkheads = bulkheads(8, 8, 1.0, 16, Duration.ofMillis(1), Duration.ofMillis(1))) {
            AtomicBoolean cancelled = new AtomicBoolean();
            KeyBulkheads.Lease lease = bulkheads.enter(from("alice", "reader"));
            lease.running("node1", cancellable(cancelled));
            Eventually.await(Duration.ofSeconds(5), "the statement cancelled", cancelled::get);
            assertTrue(lease.cancelledForBudget());
            assertEquals("STATEMENT_TIME_EXHAUSTED", lease.exhausted().code());
            lease.finished();
            lease.close();
            ApiException refused = assertThrows(ApiException.class, () -> bulkheads.enter(from("alice", "reader")));
            assertEquals("STATEMENT_TIME_EXHAUSTED", refused.code());
            assertEquals(429, refused.status());
            assertTrue(Long.parseLong(refused.headers().get("Retry-After")) >= 1);
            // another key has its own budget
            try (KeyBulkheads.Lease other = bulkheads.enter(from("bob", "reader"))) {
                assertFalse(other.cancelledForBudget());
            }
        }
    }
}
