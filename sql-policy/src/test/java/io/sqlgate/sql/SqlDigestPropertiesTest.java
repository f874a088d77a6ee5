package io.sqlgate.sql;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why verdicts may be kept by digest: for generated statements, other values never change what a full parse
 * decides, and a statement answered from the cache is what its own full parse would give, down to the text that
 * runs. And no text the lexer refuses gets near the cache.
 */
class SqlDigestPropertiesTest {
    /**
     * Statements with holes: {@code $v} any value, {@code $n} an integer or a placeholder (where the grammar wants
     * one), {@code $s} a string, {@code $l} a list of values. Tables, functions and clauses of every kind the
     * policy decides on.
     */
    private static final List<String> SHAPES = List.of(
            "SELECT c FROM sbtest1 WHERE id = $v",
            "SELECT id, k FROM direct_table WHERE k BETWEEN $v AND $v ORDER BY id LIMIT $n",
            "SELECT * FROM direct_table WHERE id IN $l AND column1 <> $v",
            "SELECT COUNT(*), MAX(id) FROM random_table WHERE column1 LIKE $s GROUP BY column2 HAVING COUNT(*) > $v",
            "SELECT CONCAT(column1, $v), UPPER($s) FROM customized_table WHERE id = $v FOR UPDATE",
            "SELECT d.id FROM direct_table d JOIN random_table r ON d.id = r.id AND r.k = $v WHERE d.id > $v",
            "SELECT id FROM direct_table WHERE id = $v UNION SELECT id FROM mysql.user WHERE id = $v",
            "SELECT (SELECT MAX(id) FROM random_table WHERE k = $v) FROM direct_table LIMIT $n OFFSET $n",
            "SELECT CASE WHEN id = $v THEN $v ELSE $v END FROM direct_table WHERE id IN $l",
            "SELECT DATE_ADD(NOW(), INTERVAL $n DAY), DATE $s FROM direct_table",
            "SELECT SLEEP($v) FROM direct_table",
            "SELECT * FROM information_schema.tables WHERE table_name = $s",
            "INSERT INTO direct_table (column1, column2) VALUES ($v, $v)",
            "INSERT INTO direct_table (column1, column2) VALUES ($v, $v), ($v, $v), ($v, $v)",
            "INSERT INTO direct_table (id, column1) VALUES ($v, $v) ON DUPLICATE KEY UPDATE column1 = $v",
            "INSERT INTO random_table (column1) SELECT column1 FROM direct_table WHERE id = $v",
            "UPDATE direct_table SET column1 = $v, column2 = column2 + $v WHERE id = $v",
            "UPDATE direct_table SET column1 = $v",
            "DELETE FROM customized_table WHERE id IN $l OR column1 = $s",
            "DELETE FROM customized_table",
            "WITH r AS (SELECT id FROM random_table WHERE k = $v) SELECT * FROM r WHERE id > $v");
    private static final Pattern HOLE = Pattern.compile("\\$[vnsl]");
    private static final SqlPolicy POLICY = new SqlPolicy("main_db", List.of("direct_table", "random_table", "customized_table", "sbtest1"));

    /** What a full parse decides, or the code it refuses with. */
    private static String decision(String sql) {
        try {
            ParsedStatement parsed = SqlParser.checkUncached(sql);
            return parsed.type() + " read=" + parsed.read() + " tables=" + sorted(parsed.tables()) + " functions="
                    + sorted(parsed.functions()) + " where=" + parsed.hasWhere() + " policy=" + policy(parsed);
        } catch (SqlRejectedException e) {
            return "refused " + e.code();
        }
    }

    private static String policy(ParsedStatement parsed) {
        try {
            POLICY.check(parsed, Role.WRITER, io.sqlgate.hop.wire.ApiRoute.QUERY);
            return "allowed";
        } catch (SqlRejectedException e) {
            return e.code();
        }
    }

    private static List<String> sorted(java.util.Set<String> names) {
        return names.stream().sorted().toList();
    }

    @Property(tries = 400)
    void otherValuesNeverChangeTheVerdictOfAFullParse(@ForAll("statements") List<String> pair) {
        String first = pair.get(0);
        String second = pair.get(1);
        assertEquals(key(first), key(second), first + " / " + second);
        assertEquals(decision(first), decision(second), first + " / " + second);
    }

    /** The digest key, or the lexer's refusal: values of one kind in one place are refused alike (0x1f AND ...). */
    private static String key(String sql) {
        try {
            return SqlDigest.of(sql).key();
        } catch (SqlRejectedException e) {
            return "refused " + e.code();
        }
    }

    @Property(tries = 400)
    void aStatementAnsweredByDigestIsWhatItsOwnFullParseGives(@ForAll("statements") List<String> statements) {
        parseQuietly(statements.get(0)); // the verdict of its digest is kept now
        for (String sql : statements.subList(1, 3)) {
            ParsedStatement full;
            try {
                full = SqlParser.checkUncached(sql);
            } catch (SqlRejectedException e) {
                assertEquals(e.code(), assertThrows(SqlRejectedException.class, () -> SqlParser.parse(sql),
                        statements.get(0) + " / " + sql + " refused " + e.code()).code(), sql);
                continue;
            }
            ParsedStatement cached = SqlParser.parse(sql);
            assertTrue(cached.sameVerdict(full), sql + ": " + cached + " / " + full);
            assertEquals(full.placeholders(), cached.placeholders(), sql);
            if (full.canonicalSql() != null) {
                // The text that runs is the full parse's, token for token, names and values included (JSqlParser
                // prints b'1' as B'1').
                assertEquals(prefixesInCapitals(full.canonicalSql()), prefixesInCapitals(cached.canonicalSql()),
                        statements.get(0) + " / " + sql);
            }
        }
    }

    @Property(tries = 300)
    void noTextTheLexerRefusesReachesTheCache(@ForAll("statements") List<String> pair, @ForAll("refusedFragments") String fragment,
                                              @ForAll Random random) {
        String accepted = pair.get(0);
        Assume.that(!key(accepted).startsWith("refused "));
        List<SqlLexer.Token> tokens = SqlLexer.scan(accepted, true);
        int at = tokens.get(random.nextInt(tokens.size())).start(); // between tokens, never inside a string
        String sql = accepted.substring(0, at) + " " + fragment + " " + accepted.substring(at);
        long before = SqlParser.cachedEntries();
        SqlRejectedException refused = assertThrows(SqlRejectedException.class, () -> SqlParser.parse(sql), sql);
        assertTrue(List.of("SQL_UNSUPPORTED", "SQL_PARSE_ERROR").contains(refused.code()), sql + ": " + refused.getMessage());
        assertThrows(SqlRejectedException.class, () -> SqlParser.known(sql), sql);
        assertEquals(before, SqlParser.cachedEntries(), sql);
    }

    private static List<String> prefixesInCapitals(String sql) {
        return SqlLexer.scan(sql, false).stream()
                .map(t -> t.isValue() && Character.isLetter(t.text().charAt(0)) ? t.text().substring(0, 1).toUpperCase() + t.text().substring(1) : t.text())
                .toList();
    }

    private static void parseQuietly(String sql) {
        try {
            SqlParser.parse(sql);
        } catch (SqlRejectedException e) {
            // refusals are kept only for their cost, and only by digest
        }
    }

    /**
     * Two statements of one shape with values of the same kinds, drawn independently: one digest key; and the second
     * again with its words in a case of their own, which is another statement when a name's case differs.
     */
    @Provide
    Arbitrary<List<String>> statements() {
        return Combinators.combine(Arbitraries.of(SHAPES), Arbitraries.longs(), Arbitraries.randoms(), Arbitraries.randoms())
                .as((shape, kinds, one, other) -> {
                    String cased = recased(shape, new Random(kinds));
                    long seed = other.nextLong();
                    // the third: the second's values, its words in a case of their own
                    return List.of(fill(cased, new Random(kinds), one), fill(cased, new Random(kinds), new Random(seed)),
                            fill(recased(shape, other), new Random(kinds), new Random(seed)));
                });
    }

    @Provide
    Arbitrary<String> refusedFragments() {
        return Arbitraries.of("\"x\"", "# c", "@v", "@@version", "/*! DROP */", "/*+ hint */", "'a\\'b'", "a || b", "--x", "x := 1",
                "`a``b`", "{fn now()}", "[t]", "$$x$$", "1abc", "\u00e9", "\u0000", "//", ".5", "a -> b", "!x", "x && y",
                "N\"x\"", "_koi8r'x'", "\u2028");
    }

    /** One time in four, the shape's words in a case of their own: names in another case are other names. */
    private static String recased(String shape, Random random) {
        if (random.nextInt(4) != 0) {
            return shape;
        }
        StringBuilder out = new StringBuilder(shape.length());
        for (int i = 0; i < shape.length(); i++) {
            char c = shape.charAt(i);
            boolean hole = i > 0 && shape.charAt(i - 1) == '$';
            out.append(hole || !Character.isLetter(c) ? c : random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return out.toString();
    }

    /** @param kinds decides each value's kind, @param random its value */
    private static String fill(String shape, Random kinds, Random random) {
        Matcher hole = HOLE.matcher(shape);
        StringBuilder out = new StringBuilder();
        while (hole.find()) {
            String value = switch (hole.group().charAt(1)) {
                case 'n' -> kinds.nextInt(4) == 0 ? "?" : Integer.toString(random.nextInt(1000));
                case 's' -> string(kinds.nextInt(5), random);
                case 'l' -> list(kinds, random);
                default -> value(kinds.nextInt(KINDS), random);
            };
            hole.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return hole.appendTail(out).toString();
    }

    /** A list of one to six values; its kinds come from one or two, each present at least once. */
    private static String list(Random kinds, Random random) {
        int[] present = kinds.nextBoolean() ? new int[]{kinds.nextInt(KINDS + 1)} : new int[]{kinds.nextInt(KINDS + 1), kinds.nextInt(KINDS + 1)};
        StringBuilder list = new StringBuilder("(");
        int size = present.length + random.nextInt(5);
        for (int i = 0; i < size; i++) {
            int kind = i < present.length ? present[i] : present[random.nextInt(present.length)];
            list.append(i == 0 ? "" : random.nextBoolean() ? ", " : ",").append(kind == KINDS ? "-" + random.nextInt(100) : value(kind, random));
        }
        return list.append(')').toString();
    }

    /** Kinds of value: placeholder, integer, decimal, exponent, 0x, X'', b'' and strings (plain, N'', _utf8mb4''). */
    private static final int KINDS = 10;

    private static String value(int kind, Random random) {
        return switch (kind) {
            case 0 -> "?";
            case 1 -> Integer.toString(random.nextInt(100_000));
            case 2 -> random.nextInt(1000) + "." + random.nextInt(100);
            case 3 -> random.nextInt(10) + "e" + (random.nextBoolean() ? "-" : "") + random.nextInt(20);
            case 4 -> "0x" + Integer.toHexString(random.nextInt(1 << 20));
            case 5 -> "X'" + String.format("%04x", random.nextInt(1 << 16)) + "'";
            case 6 -> "b'" + Integer.toBinaryString(random.nextInt(64)) + "'";
            default -> string(kind - 7, random);
        };
    }

    /** @param prefix 0 none, 1 N, 2 _utf8mb4 (and the same for 3 and 4, so that plain strings are the usual case) */
    private static String string(int prefix, Random random) {
        String[] pieces = {"a", "it''s", " ", "*/", "/*", "-- ", ";", "?", "%", "_", "select", "`", "\"", "#", "\u00e9", "DROP TABLE t"};
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return (prefix == 1 ? "N" : prefix == 2 ? "_utf8mb4" : "") + "'" + text + "'";
    }
}
