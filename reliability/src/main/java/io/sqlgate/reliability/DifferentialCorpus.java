package io.sqlgate.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Statements for {@link DifferentialCheck}, from a seed: reads and writes the policy accepts as generated
 * (joins, subqueries, unions, common table expressions, functions of the allow-list, every clause), each then
 * mutated at its token boundaries with comments of every kind, operators, whitespace and control characters,
 * quotes and string prefixes, glued tokens and case changes. Most mutations are refused; the accepted ones
 * are those on which the policy's reading and the server's must agree.
 */
public final class DifferentialCorpus {
    private static final String[] TABLES = {"direct_table", "random_table", "customized_table"};
    private static final String[] COLUMNS = {"id", "column1", "column2"};
    /** Deterministic calls, so that the same text gives the same rows twice. */
    private static final String[] CALLS = {"UPPER(%s)", "LOWER(%s)", "LENGTH(%s)", "CONCAT(%s, 'x')", "COALESCE(%s, 'none')",
            "IFNULL(%s, 0)", "MD5(%s)", "HEX(%s)", "LEFT(%s, 2)", "REVERSE(%s)", "CHAR_LENGTH(%s)", "REPLACE(%s, 'a', 'b')",
            "SUBSTRING(%s, 1, 3)", "CAST(%s AS CHAR)", "TRIM(%s)", "LPAD(%s, 4, '0')", "ABS(%s)", "ROUND(%s, 1)", "MOD(%s, 3)",
            "GREATEST(%s, 2)", "NULLIF(%s, 1)", "CONCAT_WS('-', %s, 'y')", "JSON_QUOTE(%s)", "CAST(%s AS SIGNED)",
            "CASE WHEN %s IS NULL THEN 0 ELSE 1 END", "%s + 1", "%s * 2 - 1", "%s DIV 2", "- %s", "%s COLLATE utf8mb4_bin"};
    private static final String[] AGGREGATES = {"COUNT(*)", "COUNT(DISTINCT column1)", "MAX(id)", "MIN(column2)", "SUM(id)",
            "AVG(id)", "GROUP_CONCAT(column1 ORDER BY id SEPARATOR ',')", "BIT_OR(id)"};
    private static final String[] PREDICATES = {"%s.id = 1", "%s.id < 5", "%s.id IN (1, 2, 3)", "%s.id BETWEEN 1 AND 4",
            "%s.column1 LIKE 'a%%'", "%s.column1 IS NOT NULL", "%s.column2 IS NULL", "%s.id <> 2", "%s.id >= 0 AND %<s.id <= 9",
            "NOT %s.id = 3", "%s.column1 = N'x'", "%s.column1 = _utf8mb4'y'", "%s.id = 0x1", "%s.id <=> NULL",
            "%s.column1 REGEXP '^a'"};
    /** Inserted at a token boundary: what one reader may take for a comment, a quote or a separator and the other not. */
    private static final String[] INSERTS = {" ", "\t", "\n", "\r\n", "\r", "/* c */", "/**/", "/* -- ' \" # */", "-- c\n", "--\tc\n",
            "--\n", "#c\n", "/*! */", "/*!50000 1 */", "/*M! */", "/*+ x */", "//", "//*", "*/", "--x", "\u000b", "\f", "\u0000",
            "\u00a0", "\u2028", "\"", "'", "`", "@", "@@", ":", "\\", "||", "&&", "!", "~", "+", "-", "*", "/", "(", ")", ";", ",",
            ".", "N", "_utf8mb4", "_binary", "X", "$", "{", "}", "[", "]", "?", "e", "0x", "1", "''", "/*/", "- -"};
    /**
     * Words that open a syntax of their own in MariaDB or in another dialect JSqlParser knows: put where a name
     * or a clause may stand, each is read as a keyword by one reader and as a name by the other, or not at all.
     */
    private static final String[] KEYWORDS = {"VALUE", "FOR", "PREVIOUS", "NEXT", "ONLY", "FINAL", "SHARE", "PARTITION", "WINDOW",
            "LOCK", "INTO", "GLOBAL", "TABLE", "VALUES", "ROW", "DEFAULT", "INTERVAL", "BINARY", "COLLATE", "ESCAPE", "USING",
            "WITH", "OVER", "RETURNING", "SYSTEM_TIME", "LATERAL", "STRAIGHT_JOIN", "HIGH_PRIORITY", "SQL_CALC_FOUND_ROWS", "DUAL",
            "NATURAL", "IGNORE", "QUICK", "LOW_PRIORITY", "PROCEDURE", "ROWS", "EXAMINED", "SEMI", "APPLY", "SIBLINGS", "UNIQUE",
            "TOP", "KEY", "FORMAT", "JSON", "ALL", "ANY", "SOME", "EXCEPT", "MINUS", "OF", "NOWAIT", "SKIP", "LOCKED", "WAIT",
            "SQL_NO_CACHE", "FULL", "OUTER", "CROSS", "ISNULL", "NOTNULL", "SIMILAR", "TO", "ILIKE", "SEQUENCE", "LASTVAL",
            "NEXTVAL", "SETVAL", "CURRENT_USER", "CURRENT_ROLE", "USER", "DATABASE", "SCHEMA", "CONNECTION_ID"};
    private static final java.util.Set<String> ALIASES = java.util.Set.of("a", "b", "c", "v", "t", "r", "recent");

    private final Random random;

    private DifferentialCorpus(long seed) {
        this.random = new Random(seed);
    }

    /** {@code count} statements, about a third as generated and the rest mutated, the same for the same seed. */
    public static List<String> generate(long seed, int count) {
        DifferentialCorpus corpus = new DifferentialCorpus(seed);
        List<String> statements = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String statement = corpus.statement();
            statements.add(i % 3 == 0 ? statement : corpus.mutate(statement));
        }
        return statements;
    }

    private String statement() {
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> select();
            case 4 -> select() + " UNION " + pick("", "ALL ") + select();
            case 5 -> "WITH recent AS (SELECT id, column1 FROM " + pick(TABLES) + " WHERE id < 8) SELECT r.id, r.column1 FROM recent r"
                    + " WHERE r.id IN (SELECT id FROM " + pick(TABLES) + ") ORDER BY r.id";
            case 6 -> "INSERT INTO " + pick(TABLES) + " (column1, column2) " + pick("VALUES ('d', 'e')", "VALUES ('d', 'e'), ('f', 'g')",
                    "SELECT column1, column2 FROM " + pick(TABLES) + " WHERE id = 1") + pick("", " ON DUPLICATE KEY UPDATE column2 = VALUES(column2)");
            case 7 -> "UPDATE " + pick(TABLES) + " t SET t.column2 = " + call("t.column1") + " WHERE " + predicate("t")
                    + pick("", " ORDER BY t.id LIMIT 1");
            case 8 -> "DELETE FROM " + pick(TABLES) + " WHERE " + predicate(pick(TABLES)).replaceAll("\\w+_table\\.", "") + " AND id < 0";
            default -> "SELECT " + pick(AGGREGATES) + ", t.column1 FROM " + pick(TABLES) + " t GROUP BY t.column1 HAVING COUNT(*) > 0"
                    + " ORDER BY t.column1";
        };
    }

    private String select() {
        String table = pick(TABLES);
        StringBuilder sql = new StringBuilder("SELECT ");
        sql.append("a.id, ").append(call("a." + pick(COLUMNS))).append(" AS v");
        sql.append(" FROM ").append(table).append(" a");
        if (random.nextBoolean()) {
            sql.append(pick(" JOIN ", " LEFT JOIN ", " INNER JOIN ")).append(pick(TABLES)).append(" b ON a.id = b.id");
        }
        sql.append(" WHERE ").append(predicate("a"));
        if (random.nextInt(3) == 0) {
            sql.append(" AND a.id ").append(pick("IN", "NOT IN")).append(" (SELECT id FROM ").append(pick(TABLES)).append(" WHERE ")
                    .append(predicate(pick(TABLES)).replaceAll("\\w+_table\\.", "")).append(")");
        }
        if (random.nextInt(4) == 0) {
            sql.append(" AND EXISTS (SELECT 1 FROM ").append(pick(TABLES)).append(" c WHERE c.id = a.id)");
        }
        sql.append(" ORDER BY a.id").append(pick("", " DESC")).append(" LIMIT ").append(1 + random.nextInt(5));
        return sql.toString();
    }

    private String call(String column) {
        return String.format(Locale.ROOT, pick(CALLS), column);
    }

    private String predicate(String alias) {
        return String.format(Locale.ROOT, pick(PREDICATES), alias);
    }

    /** One to three changes at token boundaries (between two words the generator separated by a space). */
    String mutate(String sql) {
        String[] words = sql.split(" ", -1);
        StringBuilder out = new StringBuilder();
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (changes > 0 && random.nextInt(Math.max(1, words.length / 3)) == 0) {
                changes--;
                switch (random.nextInt(8)) {
                    case 0 -> word = flipCase(word);
                    case 6 -> word = ALIASES.contains(word) ? pick(KEYWORDS).toLowerCase(Locale.ROOT) : word + " " + pick(KEYWORDS);
                    case 7 -> word = pick(KEYWORDS) + " " + word;
                    case 1 -> word = word.matches("[a-z_]+") ? "`" + word + "`" : word;
                    case 2 -> word = word.startsWith("'") ? pick("N", "_utf8mb4", "_binary", "X", "B", "n", "_latin1 ", "q", "E") + word : word;
                    default -> word = word + pick(INSERTS);
                }
            }
            out.append(word);
            if (i < words.length - 1) {
                out.append(random.nextInt(40) == 0 ? "" : " "); // sometimes glue two tokens together
            }
        }
        return out.toString();
    }

    private String flipCase(String word) {
        StringBuilder out = new StringBuilder(word.length());
        for (char c : word.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return out.toString();
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }
}
