package io.sqlgate.gatekeeper.validation;

import io.sqlgate.gatekeeper.auth.ApiKey;
import io.sqlgate.gatekeeper.auth.Role;
import io.sqlgate.hop.http.ApiException;
import io.sqlgate.hop.sql.SqlRejectedException;
import io.sqlgate.hop.testing.Eventually;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing is off the caller's thread, bounded in threads and queue, and each key has a budget of parser time. */
class StatementCheckerTest {
    private static final ApiKey ALICE = new ApiKey("alice", Role.READER);
    private static final ApiKey BOB = new ApiKey("bob", Role.READER);

    /** A statement of its own, never seen before by the parser's caches. */
    private static String fresh() {
        return "SELECT id FROM direct_table WHERE column1 = '" + UUID.randomUUID() + "' AND id > " + System.nanoTime();
    }

    private static Throwable failure(CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, future::join);
        return e.getCause();
    }

    @Test
    void aKeyThatUsedItsParserTimeWaitsAndOtherKeysAndKnownStatementsDoNot() {
        // a microsecond a second: the first statement's parse leaves the bucket in debt
        try (StatementChecker checker = new StatementChecker(new ParsingConfiguration(1, 8, Duration.ofNanos(1000), Duration.ofNanos(1000)))) {
            String known = fresh();
            assertEquals("direct_table", checker.parse(ALICE, known).join().tables().iterator().next());
            ApiException refused = assertInstanceOf(ApiException.class, failure(checker.parse(ALICE, fresh())));
            assertEquals("PARSE_BUDGET_EXHAUSTED", refused.code());
            assertEquals(429, refused.status().getCode());
            assertTrue(Long.parseLong(refused.headers().get("Retry-After")) >= 1);
            // a statement accepted before is a lookup, not a parse: still served
            assertTrue(checker.parse(ALICE, known).join().canonicalSql().contains("`direct_table`"));
            assertEquals("SELECT", checker.parse(BOB, fresh()).join().type().name());
        }
    }

    @Test
    void aFullQueueIsOverloadedAtOnceAndARefusalIsTheStatementsOwn() {
        try (StatementChecker checker = new StatementChecker(new ParsingConfiguration(1, 0, Duration.ofSeconds(10), Duration.ofSeconds(10)))) {
            // fourteen nested subqueries take the parser its whole deadline (SqlLexerTest)
            StringBuilder slow = new StringBuilder("SELECT id FROM random_table WHERE id > " + System.nanoTime());
            for (int i = 0; i < 14; i++) {
                slow.insert(0, "SELECT id FROM direct_table WHERE id IN (").append(")");
            }
            CompletableFuture<?> busy = checker.parse(ALICE, slow.toString());
            Eventually.await(Duration.ofSeconds(5), "the parser thread busy", () -> checker.busyParsers() == 1);
            ApiException overloaded = assertInstanceOf(ApiException.class, failure(checker.parse(BOB, fresh())));
            assertEquals("OVERLOADED", overloaded.code());
            assertEquals(503, overloaded.status().getCode());
            assertEquals("1", overloaded.headers().get("Retry-After"));
            SqlRejectedException tooComplex = assertInstanceOf(SqlRejectedException.class, failure(busy));
            assertEquals("SQL_TOO_COMPLEX", tooComplex.code());
        }
    }
}
