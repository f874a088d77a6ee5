package io.sqlgate.sql;

import com.github.benmanes.caffeine.cache.Cache;
import io.sqlgate.hop.wire.ApiRoute;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Attacks on the verdict cache kept by digest and on the template the canonical text becomes. Every test asserts
 * the SAFE behaviour: a failing test is a finding. Shapes use column names of their own (attack_*) so that what
 * one test plants does not reach another test's statements, nor the other test classes'.
 * <p>
 * Findings (fail on the code as it is): {@link #theCaseOfTheFirstStatementsTableIsNotWhatOthersRun},
 * {@link #theCaseOfTheFirstStatementsAliasIsNotWhatOthersRun}, {@link #aRefusalForCostIsNotSharedByCheapStatementsOfItsDigest},
 * {@link #theDeadlineBoundsWhatAFailedParseOfAListCosts}, {@link #aCachedVerdictHoldsNoMoreTextThanItsBound},
 * {@link #aCharacterSetIntroducerIsReadAsAFullParseReadsIt}, {@link #aWordAfterAHexValueIsReadAsTheDatabaseReadsIt},
 * {@link #aTableNamedInAnotherCaseIsNotTheAllowedTable}.
 * The others are attacks that held.
 */
class DigestAttackTest {
    private static final SqlPolicy POLICY = new SqlPolicy("main_db", List.of("direct_table", "random_table", "customized_table", "sbtest1"));

    // ---------------------------------------------------------------- findings

    /**
     * Unquoted words are lower case in the digest, names included, but MariaDB's table and database names are
     * case sensitive on Linux (lower_case_table_names=0). Whoever sends a shape first decides, for every other
     * key and role, which table the statements of that shape run against: parse() keeps the template before the
     * policy is asked, so a reader key can plant it for writers' UPDATEs.
     */
    @Test
    void theCaseOfTheFirstStatementsTableIsNotWhatOthersRun() {
        parseQuietly("UPDATE Direct_Table SET attack_case1 = 'planted' WHERE id = 1"); // e.g. from a reader key, refused by the policy
        String victim = "UPDATE direct_table SET attack_case1 = 'mine' WHERE id = 2";
        ParsedStatement run = SqlParser.parse(victim);
        assertEquals(SqlLexer.tokens(SqlParser.checkUncached(victim).canonicalSql(), false),
                SqlLexer.tokens(run.canonicalSql(), false), "runs as " + run.canonicalSql());
    }

    /** Table aliases are case sensitive too (lower_case_table_names=0): the victim's t.id becomes T.id / t.id, an error. */
    @Test
    void theCaseOfTheFirstStatementsAliasIsNotWhatOthersRun() {
        parseQuietly("SELECT t.attack_case2 FROM direct_table T WHERE T.id = 1");
        String victim = "SELECT t.attack_case2 FROM direct_table t WHERE t.id = 2";
        ParsedStatement run = SqlParser.parse(victim);
        assertEquals(SqlLexer.tokens(SqlParser.checkUncached(victim).canonicalSql(), false),
                SqlLexer.tokens(run.canonicalSql(), false), "runs as " + run.canonicalSql());
    }

    /**
     * SQL_TOO_COMPLEX is kept by digest TEXT, for every kind of value and every length of list. One statement
     * whose value makes it slow (a long string here; through the gatekeeper's 8192 characters, an IN list of a few
     * thousand values, which takes JSqlParser about a second) makes every statement of the digest refused, for
     * every client, until the entry is evicted.
     */
    @Test
    void aRefusalForCostIsNotSharedByCheapStatementsOfItsDigest() {
        String slow = "SELECT id FROM direct_table WHERE attack_cost = '" + "a".repeat(3_000_000) + "'";
        SqlRejectedException first = assertThrows(SqlRejectedException.class, () -> SqlParser.parse(slow));
        assertEquals("SQL_TOO_COMPLEX", first.code());
        for (String cheap : List.of("SELECT id FROM direct_table WHERE attack_cost = 'x'", "SELECT id FROM direct_table WHERE attack_cost = ?",
                "SELECT id FROM direct_table WHERE attack_cost = 1")) {
            try {
                assertEquals(StatementType.SELECT, SqlParser.parse(cheap).type(), cheap);
            } catch (SqlRejectedException e) {
                fail(cheap + " is refused " + e.code() + " because another statement of its digest was slow");
            }
        }
    }

    /**
     * A syntax error after a long list of values: JSqlParser builds its ParseException by rescanning every
     * lookahead (generateParseException, jj_rescan_token), which grows with the square of the list and never
     * looks at the deadline's interrupted flag. 600 values, about 1,250 characters: tens of seconds of a parser
     * thread, every time (the digest, with the values unfolded, is too long to remember the refusal). The same
     * rescan runs when the deadline interrupts a long but valid list (2,000 values: 1.4 s to 65 s).
     */
    @Test
    void theDeadlineBoundsWhatAFailedParseOfAListCosts() {
        StringBuilder sql = new StringBuilder("SELECT id FROM direct_table WHERE attack_rescan IN (");
        for (int i = 0; i < 600; i++) {
            sql.append(i == 0 ? "" : ",").append('1');
        }
        String text = sql.append(" 1)").toString();
        long started = System.nanoTime();
        assertThrows(SqlRejectedException.class, () -> SqlParser.parse(text));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 3 * ParseDeadline.LIMIT.toMillis(), text.length() + " characters took " + millis + " ms to refuse");
    }

    /**
     * The bound on the key (1024 characters) is not a bound on what an entry holds: the first statement's canonical
     * text (template) and its values are kept whole. So the caches are bounded by what they hold: forty statements of
     * 200,000 characters each, of as many digests, hold no more than the bound, and each entry is weighed at least
     * at what it holds.
     */
    @Test
    void theCachesHoldNoMoreTextThanTheirBound() throws Exception {
        // 8 M characters of templates against a bound of 2 M, in statements small enough to parse well within the
        // parse deadline on a loaded machine
        for (int i = 0; i < 160; i++) {
            String sql = "SELECT id AS attack_memory_" + i + " FROM direct_table WHERE attack_memory = '" + "m".repeat(50_000) + "'";
            SqlParser.parse(sql);
            Object verdict = byDigest().getIfPresent(SqlDigest.of(sql).key());
            if (verdict != null) {
                assertTrue(heldCharacters(verdict) <= 64 + SqlDigest.of(sql).key().length() + heldWeight(verdict), "weighed below what it holds");
            }
        }
        assertTrue(SqlParser.largestCacheCharacters() <= SqlParser.CACHE_CHARACTERS, "held " + SqlParser.largestCacheCharacters());
    }

    /**
     * All introducers are one kind (i), but JSqlParser reads _utf8'x' as a string and refuses _utf8mb4'x',
     * _binary'x', _latin1'x'. Once a statement with _utf8 plants the template, the others are accepted without the
     * parse that refuses them. The database reads them as strings, so nothing is reached that was not checked; the
     * verdict just is not what a full parse of the client's text gives.
     */
    @Test
    void aCharacterSetIntroducerIsReadAsAFullParseReadsIt() {
        parseQuietly("SELECT id FROM direct_table WHERE attack_charset = _utf8'x'");
        for (String other : List.of("SELECT id FROM direct_table WHERE attack_charset = _binary'x'",
                "SELECT id FROM direct_table WHERE attack_charset = _utf8mb4'x'")) {
            assertEquals(decision(other), cachedDecision(other), other);
        }
    }

    /**
     * Not the cache's doing but the verdict's: tables are lower-cased before the allow-list, and MariaDB on Linux
     * (lower_case_table_names=0) reads `DIRECT_TABLE` as another table than `direct_table`, and the canonical
     * text keeps the client's case. Any table of the allowed database whose name differs from an allowed one only
     * by case is reachable.
     */
    @Test
    void aTableNamedInAnotherCaseIsNotTheAllowedTable() {
        ParsedStatement statement = SqlParser.parse("SELECT attack_upper FROM DIRECT_TABLE");
        boolean runsAgainstUpperCase = statement.canonicalSql().contains("`DIRECT_TABLE`");
        boolean allowed;
        try {
            POLICY.check(statement, Role.READER, ApiRoute.QUERY);
            allowed = true;
        } catch (SqlRejectedException e) {
            allowed = false;
        }
        assertTrue(!(runsAgainstUpperCase && allowed), "allowed, and runs as " + statement.canonicalSql());
    }

    /**
     * JSqlParser's hex literal runs on over whitespace and hex digits: in {@code 0x1f abc} it reads one HexValue
     * "0x1f abc", and in {@code 0x1f attack_hex} the HexValue "0x1f a" with the alias `ttack_hex`. MariaDB and the
     * lexer read the value 0x1f and the alias. The canonical text is then not the client's statement ({@code SELECT
     * 0x1f a `ttack_hex`} is a syntax error to MariaDB) and a word the walk never saw reaches the database bare,
     * against the promise that every name goes backquoted. Only hex-digit words (a, ad, bad, cafe, dec...) can be
     * taken in, right after a value, where MariaDB reads an alias or refuses: nothing unchecked is reached, but
     * the readers disagree ({@code SELECT 0x1f FROM t} does not parse at all, nor {@code id = 0x1f AND ...}).
     */
    @Test
    void aWordAfterAHexValueIsReadAsTheDatabaseReadsIt() {
        for (String sql : List.of("SELECT 0x1f attack_hex, 1 FROM direct_table", "SELECT 0x1f abc, 1 FROM direct_table WHERE attack_hex = 1")) {
            ParsedStatement statement;
            try {
                statement = SqlParser.parse(sql);
            } catch (SqlRejectedException e) {
                continue; // refusing is safe
            }
            assertEquals(SqlLexer.tokens(sql), SqlLexer.tokens(statement.canonicalSql().replace("`", "")), sql + " runs as " + statement.canonicalSql());
            assertTrue(statement.canonicalSql().contains("`abc`") || !sql.contains(" abc"), sql + ": abc reaches the database bare: " + statement.canonicalSql());
        }
    }

    // ---------------------------------------------------------------- attacks that held

    /**
     * Pairs of statements of one key (same shape, values of the same kinds, drawn independently, including the
     * awkward ones: 5., 1.e5, 1e+5, 1e400, 0x, 0b, X'', b'', N'', n'', introducers, ?, strings with comment
     * markers, quotes, line breaks, non-ASCII): the text that runs, checked in full, is never a different
     * accepted verdict than the one the cache gave, and never a crash.
     */
    @Property(tries = 600)
    void theTextThatRunsIsReadAsTheCachedVerdict(@ForAll("pairs") List<String> pair) {
        parseQuietly(pair.get(0));
        ParsedStatement cached;
        try {
            cached = SqlParser.parse(pair.get(1));
        } catch (SqlRejectedException e) {
            return;
        }
        if (cached.canonicalSql() == null) {
            return;
        }
        String again = decision(cached.canonicalSql());
        String own = decision(pair.get(1));
        if (!again.startsWith("refused")) {
            assertEquals(verdict(cached), again, pair + " runs as " + cached.canonicalSql());
        }
        if (!own.startsWith("refused")) {
            assertEquals(own, verdict(cached), pair.toString());
        }
    }

    /** Random token soup around common frames: no input crashes, and whatever is accepted runs as what was checked. */
    @Property(tries = 3000)
    void noTokenSoupCrashesOrRunsUnchecked(@ForAll("soup") String sql) {
        ParsedStatement parsed;
        try {
            parsed = SqlParser.parse(sql);
        } catch (SqlRejectedException e) {
            return;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError(sql + " crashed: " + e, e);
        }
        if (parsed.canonicalSql() != null) {
            String again = decision(parsed.canonicalSql());
            if (!again.startsWith("refused")) {
                assertEquals(verdict(parsed), again, sql + " runs as " + parsed.canonicalSql());
            }
        }
    }

    /**
     * Statements of one key but for the case of words, spacing and comments: whitespace between a function name
     * and its parenthesis, comments between tokens, KEYWORDS in any case. JSqlParser's verdict never differs, so
     * the key does not hide a different statement from the check (the database may still read COUNT (*) otherwise;
     * what runs is the template, COUNT(*)).
     */
    @Test
    void spacingAndCommentsNeverChangeTheKeyOrTheFullVerdict() {
        Random random = new Random(11);
        String[] separators = {" ", "  ", "\n", "\t", "/* c */", " -- c\n", "\r\n", "/**/"};
        for (String sql : BASE) {
            String expected = decision(sql);
            String key = SqlDigest.of(sql).key();
            for (int n = 0; n < 20; n++) {
                StringBuilder variant = new StringBuilder();
                String previous = "";
                for (SqlLexer.Token token : SqlLexer.scan(sql, true)) {
                    String text = token.text();
                    String separator = separators[random.nextInt(separators.length)];
                    boolean nearOperator = "*/-".indexOf(previous.isEmpty() ? ' ' : previous.charAt(previous.length() - 1)) >= 0
                            || "*/-".indexOf(text.charAt(0)) >= 0;
                    variant.append(variant.length() == 0 ? "" : nearOperator && separator.contains("*") ? " " : separator);
                    previous = text;
                    variant.append(text); // the case of words is part of the key: names in another case are other names
                }
                assertEquals(key, SqlDigest.of(variant.toString()).key(), variant.toString());
                assertEquals(expected, decision(variant.toString()), sql + " / " + variant);
            }
        }
    }

    /**
     * Values in awkward places go back in as the full parse prints them: adjacent strings, a value after a sign,
     * lists with signs and placeholders, LIMIT, INTERVAL, DATE, typed and prefixed strings, numbers of every form.
     */
    @Test
    void awkwardValuesGoBackWhereTheyWere() {
        String[][] pairs = {
                {"SELECT 'a' 'b' FROM direct_table WHERE attack_v1 = 1", "SELECT 'x' 'y' FROM direct_table WHERE attack_v1 = 2"},
                {"SELECT 1 'a' FROM direct_table WHERE attack_v2 = 1", "SELECT 2 'it''s' FROM direct_table WHERE attack_v2 = 3"},
                {"SELECT id FROM direct_table WHERE attack_v3 IN (1, -2, ?)", "SELECT id FROM direct_table WHERE attack_v3 IN (?, - 5, +3, ?, 7)"},
                {"SELECT id FROM direct_table WHERE attack_v4 = - 1", "SELECT id FROM direct_table WHERE attack_v4 = -9"},
                {"SELECT id FROM direct_table WHERE attack_v5 = 1 LIMIT 10, 5", "SELECT id FROM direct_table WHERE attack_v5 = 2 LIMIT 3, 7"},
                {"SELECT DATE_ADD(NOW(), INTERVAL 1 DAY), DATE '2020-01-01' FROM direct_table WHERE attack_v6 = 1",
                        "SELECT DATE_ADD(NOW(), INTERVAL 99 DAY), DATE '1999-12-31' FROM direct_table WHERE attack_v6 = 2"},
                {"SELECT N'a', X'41', b'1' FROM direct_table WHERE column2 = 1.5 AND attack_v7 = 0x1f",
                        "SELECT n'*/--', x'', B'0' FROM direct_table WHERE column2 = 1.e5 AND attack_v7 = 0xDEADBEEF"},
                {"SELECT id FROM direct_table WHERE attack_v8 = 5.", "SELECT id FROM direct_table WHERE attack_v8 = 1e+5"},
                {"INSERT INTO direct_table (attack_v9, column2) VALUES (1, 'a'), (2, 'b')",
                        "INSERT INTO direct_table (attack_v9, column2) VALUES ('c', 3), ('d', 4), (5, 'e')"},
                {"UPDATE direct_table SET attack_v10 = DEFAULT, column2 = NULL WHERE id = 1 AND column1 = TRUE",
                        "UPDATE direct_table SET attack_v10 = DEFAULT, column2 = NULL WHERE id = 7 AND column1 = TRUE"},
                {"SELECT CAST(attack_v11 AS DECIMAL(10, 2)) FROM direct_table", "SELECT CAST(attack_v11 AS DECIMAL(9, 3)) FROM direct_table"},
                {"SELECT id FROM direct_table WHERE attack_v12 = '\n'", "SELECT id FROM direct_table WHERE attack_v12 = 'a\r\nb\u2028\ud83d\ude00'"},
        };
        for (String[] pair : pairs) {
            SqlParser.parse(pair[0]);
            ParsedStatement cached = SqlParser.parse(pair[1]);
            ParsedStatement full = SqlParser.checkUncached(pair[1]);
            assertTrue(cached.sameVerdict(full), pair[1]);
            assertEquals(full.placeholders(), cached.placeholders(), pair[1]);
            assertEquals(capitalPrefixes(full.canonicalSql()), capitalPrefixes(cached.canonicalSql()), pair[1] + " runs as " + cached.canonicalSql());
        }
    }

    /** NULL, TRUE, DEFAULT, CURRENT_TIMESTAMP are words, not values: they are in the key, so never filled in. */
    @Test
    void keywordsThatLookLikeValuesAreInTheKey() {
        for (String[] pair : new String[][]{{"SELECT id FROM direct_table WHERE attack_k = NULL", "SELECT id FROM direct_table WHERE attack_k = 1"},
                {"UPDATE direct_table SET attack_k = DEFAULT WHERE id = 1", "UPDATE direct_table SET attack_k = 1 WHERE id = 1"},
                {"SELECT CURRENT_TIMESTAMP FROM direct_table WHERE attack_k = 1", "SELECT 'x' FROM direct_table WHERE attack_k = 1"},
                {"SELECT id FROM direct_table WHERE attack_k IN (NULL, 1)", "SELECT id FROM direct_table WHERE attack_k IN (2, 1)"},
                {"SELECT ? FROM direct_table", "SELECT 1 FROM direct_table"},
                {"SELECT id FROM direct_table WHERE attack_k IN (1)", "SELECT id FROM direct_table WHERE attack_k IN (1) OR attack_k IN (2)"}}) {
            assertNotEquals(SqlDigest.of(pair[0]).key(), SqlDigest.of(pair[1]).key(), pair[0] + " / " + pair[1]);
        }
    }

    /** A statement the policy refuses plants nothing another statement could run as: the key names what it touches. */
    @Test
    void whatIsPlantedIsOnlyEverItsOwnShape() {
        for (String planted : List.of("SELECT SLEEP(5) FROM direct_table WHERE attack_p = 1", "SELECT attack_p FROM mysql.user WHERE id = 1",
                "UPDATE direct_table SET attack_p = 1", "SELECT attack_p FROM direct_table WHERE id = 1; SELECT 1",
                "REPLACE INTO direct_table (attack_p) VALUES (1)", "SELECT attack_p FROM direct_table WHERE id = 1 UNION SELECT 1 FROM mysql.user")) {
            parseQuietly(planted);
        }
        for (String victim : List.of("SELECT ABS(5) FROM direct_table WHERE attack_p = 1", "SELECT attack_p FROM direct_table WHERE id = 1",
                "UPDATE direct_table SET attack_p = 1 WHERE id = 1", "INSERT INTO direct_table (attack_p) VALUES (1)",
                "SELECT attack_p FROM direct_table WHERE id = 1 UNION SELECT 1 FROM random_table")) {
            ParsedStatement statement = SqlParser.parse(victim);
            POLICY.check(statement, Role.WRITER, ApiRoute.QUERY);
            assertEquals(decision(victim), decision(statement.canonicalSql()), victim + " runs as " + statement.canonicalSql());
        }
    }

    /** Tens of thousands of distinct digests: the three caches stay within their bound. */
    @Test
    void theCachesKeepTheirBound() {
        for (int i = 0; i < 30_000; i++) {
            parseQuietly("SELECT attack_bound_" + i + " FROM direct_table WHERE id = " + i);
        }
        assertTrue(SqlParser.largestCacheCharacters() <= SqlParser.CACHE_CHARACTERS, "held " + SqlParser.largestCacheCharacters());
    }

    /** A refusal that is kept is a shared object: it carries no stack trace and takes no suppressed exceptions. */
    @Test
    void aKeptRefusalDoesNotGrowWhenCallersUseIt() {
        SqlRejectedException refusal = new SqlRejectedException("SQL_TOO_COMPLEX", "x");
        refusal.addSuppressed(new RuntimeException());
        assertEquals(0, refusal.getSuppressed().length);
        assertEquals(0, refusal.getStackTrace().length);
    }

    /**
     * The key is not injective: tokens ( . . . ) print as a list does, so {@code b IN (1) AND c IN ( . . . )} and
     * {@code b IN ( . . . ) AND c IN (1)} share a key. Harmless as long as no reader accepts ( . . . ): neither
     * plants anything, so neither is answered from the other.
     */
    @Test
    void tokensThatPrintLikeAListPlantNothing() {
        String one = "SELECT a FROM t WHERE attack_l IN (1) AND c IN ( . . . )";
        String other = "SELECT a FROM t WHERE attack_l IN ( . . . ) AND c IN (1)";
        assertNotEquals(SqlDigest.of(one).key(), SqlDigest.of(other).key(), "a dot after ( prints spaced: no tokens print as (...)");
        assertThrows(SqlRejectedException.class, () -> SqlParser.parse(one));
        assertThrows(SqlRejectedException.class, () -> SqlParser.parse(other));
        assertThrows(SqlRejectedException.class, () -> SqlParser.parse(one));
    }

    // ---------------------------------------------------------------- generators and helpers

    private static final List<String> SHAPES = List.of(
            "SELECT attack_g FROM sbtest1 WHERE id = $v",
            "SELECT attack_g, k FROM direct_table WHERE k BETWEEN $v AND $v ORDER BY id LIMIT $n",
            "SELECT * FROM direct_table WHERE attack_g IN $l AND column1 <> $v",
            "SELECT $v, $v FROM direct_table WHERE attack_g = 1",
            "SELECT $v $s FROM direct_table WHERE attack_g = 1",
            "SELECT $s $s FROM direct_table WHERE attack_g = 1",
            "SELECT attack_g AS $s FROM direct_table",
            "SELECT CONCAT(attack_g, $v), UPPER($s) FROM direct_table WHERE id = $v",
            "SELECT DATE_ADD(NOW(), INTERVAL $v DAY) FROM direct_table WHERE attack_g = 1",
            "SELECT DATE $s, TIME $s FROM direct_table WHERE attack_g = 1",
            "SELECT * FROM direct_table WHERE attack_g LIKE $s ESCAPE $s",
            "SELECT CAST($v AS CHAR) FROM direct_table WHERE attack_g = 1",
            "SELECT CAST(attack_g AS DECIMAL($n, $n)) FROM direct_table",
            "SELECT - $v, + $v, ~ $v FROM direct_table WHERE attack_g = 1",
            "SELECT attack_g FROM direct_table ORDER BY $n",
            "SELECT attack_g FROM direct_table LIMIT $n OFFSET $n",
            "SELECT JSON_EXTRACT(attack_g, $s) FROM direct_table",
            "SELECT * FROM direct_table WHERE MATCH (attack_g) AGAINST ($s IN BOOLEAN MODE)",
            "SELECT CASE $v WHEN $v THEN $v ELSE $v END FROM direct_table WHERE attack_g = 1",
            "SELECT GROUP_CONCAT(attack_g SEPARATOR $s) FROM direct_table",
            "SELECT attack_g FROM direct_table WHERE (id, column1) IN (($v, $v))",
            "SELECT attack_g FROM direct_table WHERE id IN $l OR id NOT IN $l",
            "SELECT POSITION($s IN attack_g) FROM direct_table",
            "SELECT attack_g FROM direct_table WHERE id = $v FOR UPDATE",
            "SELECT $v IS NULL, $v IS TRUE FROM direct_table WHERE attack_g = 1",
            "SELECT $v = $v, $v <=> $v, $v & $v, $v DIV $v FROM direct_table WHERE attack_g = 1",
            "SELECT TIMESTAMPADD(DAY, $v, $s) FROM direct_table WHERE attack_g = 1",
            "SELECT CONVERT($s USING utf8mb4) FROM direct_table WHERE attack_g = 1",
            "SELECT BINARY $v FROM direct_table WHERE attack_g = 1",
            "SELECT attack_g FROM direct_table t WHERE t.id = $v",
            "INSERT INTO direct_table (attack_g, column2) VALUES ($v, $v)",
            "INSERT INTO direct_table (attack_g, column2) VALUES $l, $l",
            "INSERT INTO direct_table (attack_g) VALUE ($v)",
            "INSERT INTO direct_table (id, attack_g) VALUES ($v, $v) ON DUPLICATE KEY UPDATE attack_g = $v",
            "INSERT INTO direct_table SET attack_g = $v, column2 = $v",
            "UPDATE direct_table SET attack_g = $v, column2 = column2 + $v WHERE id = $v",
            "UPDATE direct_table SET attack_g = $v WHERE id IN $l ORDER BY id LIMIT $n",
            "DELETE FROM direct_table WHERE attack_g IN $l OR column1 = $s",
            "SELECT attack_g FROM direct_table WHERE id = $v UNION SELECT id FROM random_table WHERE id = $v",
            "WITH r AS (SELECT attack_g FROM random_table WHERE k = $v) SELECT * FROM r WHERE attack_g > $v",
            "SELECT (SELECT MAX(id) FROM random_table WHERE k = $v) FROM direct_table WHERE attack_g = 1",
            "SELECT attack_g FROM direct_table WHERE id = ANY (SELECT id FROM random_table WHERE k = $v)",
            "SELECT JSON_OBJECT($s, $v), JSON_ARRAY($v, $v) FROM direct_table WHERE attack_g = 1",
            "SELECT SLEEP($v) FROM direct_table WHERE attack_g = 1",
            "SELECT * FROM mysql.user WHERE attack_g = $s");
    private static final Pattern HOLE = Pattern.compile("\\$([vnsl])");
    private static final String[] PIECES = {"a", "it''s", " ", "*/", "/*", "-- ", ";", "?", "%", "_", "select", "`", "\"", "#", "\u00e9",
            "DROP TABLE t", "\n", "\r", "\t", "\u2028", "\ud83d\ude00", "''", "x'", "$$", "{"};

    @Provide
    Arbitrary<List<String>> pairs() {
        return Combinators.combine(Arbitraries.of(SHAPES), Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs())
                .as((shape, kinds, one, other) -> List.of(fill(shape, new Random(kinds), new Random(one)), fill(shape, new Random(kinds), new Random(other))));
    }

    private static String fill(String shape, Random kinds, Random random) {
        Matcher hole = HOLE.matcher(shape);
        StringBuilder out = new StringBuilder();
        while (hole.find()) {
            String value = switch (hole.group(1)) {
                case "n" -> kinds.nextInt(3) == 0 ? "?" : Integer.toString(random.nextInt(1000));
                case "s" -> value(7 + kinds.nextInt(3), random);
                case "l" -> list(kinds, random);
                default -> value(kinds.nextInt(11), random);
            };
            hole.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return hole.appendTail(out).toString();
    }

    private static String list(Random kinds, Random random) {
        int first = kinds.nextInt(11);
        int second = kinds.nextInt(11);
        boolean sign = kinds.nextInt(4) == 0;
        StringBuilder list = new StringBuilder("(");
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            list.append(i == 0 ? "" : random.nextBoolean() ? ", " : ",").append(sign && i == 0 ? (random.nextBoolean() ? "-" : "- ") : "")
                    .append(value(i == 0 ? first : random.nextBoolean() ? first : second, random));
        }
        return list.append(')').toString();
    }

    private static String value(int kind, Random random) {
        return switch (kind) {
            case 0 -> "?";
            case 1 -> pick(random, "0", "1", "007", "18446744073709551616", Integer.toString(random.nextInt(100_000)));
            case 2 -> pick(random, "1.5", "5.", "0.0", "1.e5", "1e+5", "1E5", "1e-3", "1e400");
            case 3 -> pick(random, "1e5", "2E3");
            case 4 -> pick(random, "0x1f", "0x0", "0xDEADBEEF");
            case 5 -> pick(random, "X'41'", "x''", "X'4'", "x'ffff'");
            case 6 -> pick(random, "b'1'", "B''", "b'0101'");
            case 7 -> string(random, "");
            case 8 -> string(random, random.nextBoolean() ? "N" : "n");
            case 9 -> string(random, pick(random, "_utf8", "_UTF8"));
            default -> pick(random, "0b1", "0b0101");
        };
    }

    private static String string(Random random, String prefix) {
        StringBuilder text = new StringBuilder(prefix).append('\'');
        for (int i = random.nextInt(4); i > 0; i--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.append('\'').toString();
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    private static final String[] VOCABULARY = ("SELECT SELECT FROM FROM WHERE AND OR NOT IN IN VALUES VALUE ( ( ( ) ) ) , , . = < > <= <> <=> + - * / % & | ^ ~ << >> "
            + "? 1 2 1.5 5. 1e5 0x1f 0b1 'a' 'b' N'x' X'41' b'1' _utf8'u' _utf8mb4'v' NULL TRUE DEFAULT CURRENT_TIMESTAMP INTERVAL DAY DATE LIMIT OFFSET "
            + "ORDER BY GROUP HAVING AS direct_table random_table mysql.user t id column1 `id` `direct_table` COUNT( MAX( SLEEP( CONCAT( CAST( CHAR "
            + "UNION ALL JOIN ON USING INSERT INTO UPDATE SET DELETE FOR SHARE LOCK MODE WITH RECURSIVE CASE WHEN THEN ELSE END BETWEEN LIKE ESCAPE IS "
            + "EXISTS ANY DISTINCT COLLATE utf8mb4_bin BINARY DIV MOD XOR REGEXP ; value next previous LEFT TRIM LEADING POSITION MATCH AGAINST "
            + "DUPLICATE KEY VALUES( USE INDEX PRIMARY STRAIGHT_JOIN IGNORE LOW_PRIORITY QUICK PARTITION WINDOW OVER ROWS PRECEDING ROW_NUMBER() "
            + "JSON_TABLE( COLUMNS LATERAL TABLE _binary DIRECT_TABLE user `mysql`.`user` information_schema.tables").split(" ");
    private static final List<String> FRAMES = List.of("SELECT id FROM direct_table WHERE %s", "SELECT %s FROM direct_table",
            "SELECT id FROM direct_table %s", "%s", "UPDATE direct_table SET column1 = 1 %s", "DELETE FROM direct_table %s",
            "INSERT INTO direct_table (id) %s", "SELECT %s");

    @Provide
    Arbitrary<String> soup() {
        return Combinators.combine(Arbitraries.of(FRAMES), Arbitraries.of(VOCABULARY).list().ofMinSize(1).ofMaxSize(10),
                Arbitraries.integers().between(0, 4).list().ofSize(10)).as((frame, words, tight) -> {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < words.size(); i++) {
                body.append(i == 0 || tight.get(i) == 0 ? "" : " ").append(words.get(i));
            }
            return String.format(frame, body);
        });
    }

    private static final List<String> BASE = List.of(
            "SELECT a.id, b.id FROM direct_table a JOIN random_table b ON a.id = b.id LEFT JOIN customized_table c USING (id)",
            "SELECT id, ROW_NUMBER() OVER (PARTITION BY column1 ORDER BY id) AS rn FROM direct_table WINDOW w AS (ORDER BY id)",
            "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r, direct_table",
            "SELECT CAST(id AS CHAR), CAST(1 AS DECIMAL(10, 2)), CONVERT(column1 USING utf8mb4) FROM direct_table",
            "SELECT DATE_ADD(NOW(), INTERVAL 1 DAY), EXTRACT(YEAR FROM NOW()), CURRENT_TIMESTAMP FROM direct_table",
            "SELECT GROUP_CONCAT(DISTINCT column1 ORDER BY id SEPARATOR ',') FROM direct_table",
            "SELECT id FROM direct_table WHERE id = 1 FOR UPDATE SKIP LOCKED",
            "SELECT id <=> NULL, id & 1, id << 2, 7 DIV 2, id XOR 1 FROM direct_table",
            "SELECT DATE '2020-01-01', column1 COLLATE utf8mb4_bin, BINARY column1 FROM direct_table LIMIT 2, 3",
            "UPDATE direct_table d JOIN random_table r ON d.id = r.id SET d.column2 = r.column2 WHERE d.id = 1",
            "SELECT previous value FOR SHARE", "SELECT next value FROM direct_table",
            "SELECT TIMESTAMPADD(DAY, 1, CURRENT_DATE), GET_FORMAT(DATE, 'EUR') FROM direct_table",
            "SELECT COUNT(*), MAX(id) FROM direct_table", "SELECT current_user FROM direct_table", "SELECT SLEEP(1) FROM direct_table",
            "SELECT id FROM mysql.user", "INSERT INTO direct_table (id, column1) VALUES (1, 'a') ON DUPLICATE KEY UPDATE column1 = VALUES(column1)",
            "DELETE FROM direct_table WHERE id IN (1, 2)", "SELECT id FROM direct_table WHERE EXISTS (SELECT 1 FROM random_table WHERE id = 1)");

    /** What a full parse decides, with the policy's answer. */
    private static String decision(String sql) {
        try {
            return verdict(SqlParser.checkUncached(sql));
        } catch (SqlRejectedException e) {
            return "refused " + e.code();
        }
    }

    private static String cachedDecision(String sql) {
        try {
            return verdict(SqlParser.parse(sql));
        } catch (SqlRejectedException e) {
            return "refused " + e.code();
        }
    }

    private static String verdict(ParsedStatement parsed) {
        String policy;
        try {
            POLICY.check(parsed, Role.WRITER, ApiRoute.QUERY);
            policy = "allowed";
        } catch (SqlRejectedException e) {
            policy = e.code();
        }
        return parsed.type() + " read=" + parsed.read() + " tables=" + new TreeSet<>(parsed.tables()) + " functions="
                + new TreeSet<>(parsed.functions()) + " where=" + parsed.hasWhere() + " policy=" + policy;
    }

    private static void parseQuietly(String sql) {
        try {
            SqlParser.parse(sql);
        } catch (SqlRejectedException e) {
            // planted or not, a refusal is the caller's answer
        }
    }

    private static List<String> capitalPrefixes(String sql) {
        List<String> tokens = new ArrayList<>();
        for (SqlLexer.Token token : SqlLexer.scan(sql, false)) {
            String text = token.text();
            tokens.add(token.isValue() && Character.isLetter(text.charAt(0)) ? text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1) : text);
        }
        return tokens;
    }

    @SuppressWarnings("unchecked")
    private static Cache<String, Object> byDigest() throws ReflectiveOperationException {
        Field field = SqlParser.class.getDeclaredField("BY_DIGEST");
        field.setAccessible(true);
        return (Cache<String, Object>) field.get(null);
    }

    private static long heldWeight(Object verdict) throws ReflectiveOperationException {
        java.lang.reflect.Method weight = verdict.getClass().getDeclaredMethod("heldCharacters");
        weight.setAccessible(true);
        return (int) weight.invoke(verdict);
    }

    /** Characters of text a verdict keeps: its first statement's canonical text, its template and its values. */
    private static long heldCharacters(Object verdict) throws ReflectiveOperationException {
        Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        long held = 0;
        for (RecordComponent component : verdict.getClass().getRecordComponents()) {
            component.getAccessor().setAccessible(true);
            Object value = component.getAccessor().invoke(verdict);
            if (value instanceof String text && seen.add(text)) {
                held += text.length();
            } else if (value instanceof ParsedStatement statement && statement.canonicalSql() != null && seen.add(statement.canonicalSql())) {
                held += statement.canonicalSql().length();
            } else if (value instanceof SqlDigest digest) {
                held += digest.text().length();
                for (SqlDigest.Slot slot : digest.slots()) {
                    held += slot.text().length();
                }
            }
        }
        return held;
    }
}
