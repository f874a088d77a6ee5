package io.sqlgate.http.policy;

import io.sqlgate.http.ApiException;
import io.sqlgate.sql.SqlRejectedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing is off the caller's thread, bounded in threads and queue, and each key has a budget of parser time. */
class StatementCheckerTest {
    private static final String ALICE = "alice";
    private static final String BOB = "bob";

    /** A statement of a digest of its own (a new alias: other values would not do), never seen by the parser's caches. */
    private static String fresh() {
        return "SELECT id AS a" + UUID.randomUUID().toString().replace("-", "") + " FROM direct_table WHERE id > 1";
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
            assertEquals(429, refused.status());
            assertTrue(Long.parseLong(refused.headers().get("Retry-After")) >= 1);
            // a statement of a known digest is a lookup, not a parse: still served, with other values too
            assertTrue(checker.parse(ALICE, known).join().canonicalSql().contains("`direct_table`"));
            assertTrue(checker.parse(ALICE, known.replace("id > 1", "id > 12345")).join().canonicalSql().contains("`direct_table`"));
            assertEquals("SELECT", checker.parse(BOB, fresh()).join().type().name());
        }
    }

    @Test
    void aFullQueueIsOverloadedAtOnceAndARefusalIsTheStatementsOwn() {
        try (StatementChecker checker = new StatementChecker(new ParsingConfiguration(1, 0, Duration.ofSeconds(10), Duration.ofSeconds(10)))) {
            // fourteen nested subqueries take the parser its whole deadline (SqlLexerTest)
            StringBuilder slow = new StringBuilder(fresh().replace("direct_table", "random_table"));
            for (int i = 0; i < 14; i++) {
                slow.insert(0, "SELECT id FROM direct_table WHERE id IN (").append(")");
            }
            CompletableFuture<?> busy = checker.parse(ALICE, slow.toString());
            await("the parser thread busy").atMost(Duration.ofSeconds(5)).until(() -> checker.busyParsers() == 1);
            ApiException overloaded = assertInstanceOf(ApiException.class, failure(checker.parse(BOB, fresh())));
            assertEquals("OVERLOADED", overloaded.code());
            assertEquals(503, overloaded.status());
            assertEquals("1", overloaded.headers().get("Retry-After"));
            SqlRejectedException tooComplex = assertInstanceOf(SqlRejectedException.class, failure(busy));
            assertEquals("SQL_TOO_COMPLEX", tooComplex.code());
        }
    }
}
