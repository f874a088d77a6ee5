package io.sqlgate.sql;

import io.sqlgate.sql.SqlLexer.Token;

import java.util.ArrayList;
import java.util.List;

/**
 * A statement's digest: its tokens as the lexer reads them (the database's way), with every value taken out.
 * Numbers, strings with their prefix or introducer ({@code N'x'}, {@code X'41'}, {@code _utf8mb4'x'}), hex
 * and bit values and placeholders become {@code ?}; a list of values after {@code IN} or {@code VALUES}, with
 * its signs, becomes {@code (...)}, and so do the further rows of a {@code VALUES} list; comments and spacing are
 * gone. So {@code SELECT c FROM t WHERE id IN (1, -2, 'x')} and {@code SELECT c  FROM t WHERE id IN (?)} share the
 * digest {@code SELECT c FROM t WHERE id IN (...)}. Words keep their case: {@code t} and {@code T} are two tables
 * to the database, and a statement of a known digest runs with the names of the first one.
 * <p>
 * What a statement may touch depends on its digest alone: values are single tokens the lexer has already told
 * apart from names and syntax, and neither reader lets a value decide what is a table or a function. Whether
 * JSqlParser can read a statement at all may depend on the kind of a value, though ({@code _utf8mb4'x'} it reads
 * almost nowhere, {@code 0x41} not before {@code AND} in BETWEEN), so verdicts are kept by {@link #key()}: the
 * digest with the kind of each value, and the kinds in each list ({@code SqlDigestPropertiesTest} checks against
 * full parses that statements of one key are decided alike). The values are what a statement of a known key
 * adds: {@link #slots()} in order, a list as its elements.
 */
public final class SqlDigest {
    /** What stands for a value in a digest. */
    static final String VALUE = "?";
    /** What stands for a list of values. */
    static final String LIST = "(...)";

    private final String text;
    private final String kinds;
    private final List<Slot> slots;

    /**
     * A value, or a list of values, and where it is in the text.
     *
     * @param text  the value as written, or for a list its elements written {@code (a, b), (c, d)}
     * @param start the index of its first character in the text
     * @param end   the index after its last character
     */
    record Slot(String text, int start, int end, boolean list) {
    }

    private SqlDigest(String text, String kinds, List<Slot> slots) {
        this.text = text;
        this.kinds = kinds;
        this.slots = slots;
    }

    /** The digest of a statement's tokens ({@link SqlLexer#scan}). */
    static SqlDigest of(List<Token> tokens) {
        StringBuilder text = new StringBuilder();
        StringBuilder kinds = new StringBuilder();
        List<Slot> slots = new ArrayList<>();
        Token previous = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            String word;
            int listEnd = previous != null && opensList(previous) ? endOfValueList(tokens, i) : -1;
            if (listEnd > 0) {
                int last = listEnd;
                if (previous.text().equalsIgnoreCase("values") || previous.text().equalsIgnoreCase("value")) {
                    // further rows: , (...) , (...)
                    int next;
                    while (last + 2 < tokens.size() && tokens.get(last + 1).text().equals(",")
                            && (next = endOfValueList(tokens, last + 2)) > 0) {
                        last = next;
                    }
                }
                slots.add(new Slot(listText(tokens, i, last), token.start(), tokens.get(last).end(), true));
                kinds.append('[').append(listKinds(tokens, i, last)).append(']');
                word = LIST;
                i = last;
                token = tokens.get(last);
            } else if (token.isValue()) {
                slots.add(new Slot(token.text(), token.start(), token.end(), false));
                kinds.append(kind(token.text()));
                word = VALUE;
            } else {
                word = token.text();
            }
            append(text, previous, word);
            previous = token;
        }
        return new SqlDigest(text.toString(), kinds.toString(), List.copyOf(slots));
    }

    /** The digest of a text; @throws SqlRejectedException when the lexer refuses the text */
    public static SqlDigest of(String sql) {
        return of(SqlLexer.scan(sql, true));
    }

    /** The normalised text, {@code SELECT c FROM t WHERE id = ?}. */
    public String text() {
        return text;
    }

    /**
     * What verdicts are kept by: the kinds of the values in order ({@code n} integer, {@code d} other number,
     * {@code h} 0x, {@code s} string, {@code N}, {@code x} and {@code b} strings with a prefix, {@code {_utf8}} one
     * with an introducer, {@code p} placeholder; a list's kinds in brackets), a colon, and the text.
     */
    String key() {
        return kinds + ":" + text;
    }

    /** The values, and lists of values, in the order they are written. */
    List<Slot> slots() {
        return slots;
    }

    /**
     * Whether another text's digest is this one but for the quoting of names and the case of words, with values of
     * the same kinds: the canonical text backquotes every name the client may have left bare (keeping its case) and
     * may write keywords in capitals, and is otherwise the client's statement token for token.
     */
    boolean sameButForQuoting(SqlDigest other) {
        return kinds.equals(other.kinds) && unquoted(text).equalsIgnoreCase(unquoted(other.text));
    }

    @Override
    public String toString() {
        return text;
    }

    private static String unquoted(String digest) {
        StringBuilder out = new StringBuilder(digest.length());
        int i = 0;
        while (i < digest.length()) {
            char c = digest.charAt(i);
            int close = c == '`' ? digest.indexOf('`', i + 1) : -1;
            if (close > 0) {
                out.append(digest, i + 1, close);
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** A value's kind; an introducer is a kind of its own, since JSqlParser reads _utf8'x' and not _utf8mb4'x'. */
    private static String kind(String value) {
        char first = value.charAt(0);
        return switch (first) {
            case '?' -> "p";
            case '\'' -> "s";
            case 'N', 'n' -> "N";
            case 'X', 'x' -> "x";
            case 'B', 'b' -> "b";
            case '_' -> "{" + value.substring(0, value.indexOf('\'')).toLowerCase(java.util.Locale.ROOT) + "}";
            default -> value.startsWith("0x") ? "h"
                    : value.indexOf('.') >= 0 || value.indexOf('e') >= 0 || value.indexOf('E') >= 0 ? "d" : "n";
        };
    }

    /** The kinds of a list's values, each once, in a fixed order; a sign before a value is a kind too. */
    private static String listKinds(List<Token> tokens, int from, int to) {
        java.util.TreeSet<String> present = new java.util.TreeSet<>();
        for (int i = from; i <= to; i++) {
            Token token = tokens.get(i);
            if (token.isValue()) {
                present.add(kind(token.text()));
            } else if (token.text().equals("-") || token.text().equals("+")) {
                present.add(token.text());
            }
        }
        return String.join("", present);
    }

    private static boolean opensList(Token previous) {
        String word = previous.text();
        return word.equalsIgnoreCase("in") || word.equalsIgnoreCase("values") || word.equalsIgnoreCase("value");
    }

    /**
     * @return the index of the {@code )} that closes a list of values opened at {@code open}, or -1 when the
     * tokens there are not {@code (} values {@code )}, each value one token with at most a sign before it
     */
    private static int endOfValueList(List<Token> tokens, int open) {
        if (open >= tokens.size() || !tokens.get(open).text().equals("(")) {
            return -1;
        }
        int i = open + 1;
        while (i < tokens.size()) {
            String sign = tokens.get(i).text();
            if ((sign.equals("-") || sign.equals("+")) && i + 1 < tokens.size()) {
                i++;
            }
            if (!tokens.get(i).isValue() || i + 1 >= tokens.size()) {
                return -1;
            }
            String after = tokens.get(i + 1).text();
            if (after.equals(")")) {
                return i + 1;
            }
            if (!after.equals(",")) {
                return -1;
            }
            i += 2;
        }
        return -1;
    }

    /** The list's tokens, a space after each comma and none elsewhere: {@code (1, -2), (3, 4)}. */
    private static String listText(List<Token> tokens, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i <= to; i++) {
            String token = tokens.get(i).text();
            out.append(token);
            if (token.equals(",")) {
                out.append(' ');
            }
        }
        return out.toString();
    }

    /**
     * One space between tokens, none inside {@code f(a, b)} and {@code t.c}, so that digests read like SQL. A dot is
     * tight only after a name, so that no tokens print as a list's {@code (...)}.
     */
    private static void append(StringBuilder text, Token previous, String word) {
        if (previous != null) {
            String before = previous.text();
            boolean afterName = previous.isWord() || before.charAt(0) == '`';
            boolean tight = word.equals(",") || word.equals(")") || word.equals(".") && afterName
                    || before.equals("(") && !word.equals(".") || before.equals(".") && !word.equals(".") && !word.equals(")")
                    || word.equals("(") && (previous.isWord() || before.charAt(0) == '`') && !previous.text().equalsIgnoreCase("in")
                    && !previous.text().equalsIgnoreCase("values") && !previous.text().equalsIgnoreCase("value");
            if (!tight) {
                text.append(' ');
            }
        }
        text.append(word);
    }
}
