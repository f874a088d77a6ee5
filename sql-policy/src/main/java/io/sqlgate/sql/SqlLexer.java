package io.sqlgate.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Accepts only SQL text made of tokens that MariaDB and JSqlParser read the same way, and refuses everything
 * else with {@code SQL_UNSUPPORTED}, before JSqlParser is asked anything. It is an allow-list: a character or
 * construct it does not know is refused, so a new disagreement between the two readers cannot slip through
 * because nobody thought of it. It runs twice per statement: on the client's text, and on the canonical text
 * the gatekeeper sends to the database in its place ({@link SqlParser}).
 * <p>
 * What it accepts:
 * <ul>
 *   <li>unquoted names and keywords: ASCII letters, digits and {@code _}, not starting with a digit;</li>
 *   <li>numbers: {@code 12}, {@code 1.5}, {@code 5.}, {@code 1e-3} and lower-case {@code 0x1f}, never directly
 *       followed by a letter (MariaDB reads {@code 1abc} as a name, JSqlParser as 1 AS abc), and a {@code 0x} value
 *       never followed by a word or number that starts with a hex digit (JSqlParser reads {@code 0x1f abc} as one
 *       value); {@code 0b101} is refused (JSqlParser reads it as a name): write {@code b'101'};</li>
 *   <li>strings in single quotes, with {@code ''} for a quote inside, optionally prefixed N, X, B or a
 *       character-set introducer such as {@code _utf8mb4}; no backslash (an escape only to the database);</li>
 *   <li>names in backquotes, without a doubled backquote inside (JSqlParser splits {@code `a``b`} in two);</li>
 *   <li>the placeholder {@code ?}, the punctuation {@code ( ) , . ;} and the operators
 *       {@code = < > <= >= <> != <=> + - * / % & | ^ ~ << >>};</li>
 *   <li>space, tab, newline and carriage return; plain {@code /* ... *}{@code /} comments and {@code -- } comments.</li>
 * </ul>
 * Refused, among everything else: {@code "} (a string to MariaDB, a name to JSqlParser), {@code #} and
 * {@code //} (a comment to one reader only), executable comments and hints ({@code /*!}, {@code /*M!},
 * {@code /*+}), {@code --} without a space, {@code @} (user and system variables), {@code :} (named
 * parameters, {@code :=}), {@code ||}, {@code &&} and {@code !} (whose meaning depends on the server's SQL
 * mode), {@code ->}, brackets and braces (JDBC escapes, SQL Server names), {@code $}, backslashes, control
 * characters and letters outside ASCII outside quotes. Values that need any of these are sent as bound
 * parameters, which never go through this check.
 */
final class SqlLexer {
    static final String CODE = "SQL_UNSUPPORTED";
    /**
     * Deeper parentheses are refused before parsing: JSqlParser's time grows exponentially with nesting (a
     * hundred levels take it minutes), and no statement of ours needs more.
     */
    static final int MAX_NESTING = 32;
    /**
     * More operators than this are refused before parsing: a flat chain such as {@code 1+1+...} or
     * {@code a = 1 OR a = 2 OR ...} is a tree as deep as it is long, and printing it back recurses that deep.
     * Long lists of values belong in {@code IN (...)}, whose commas do not count.
     */
    static final int MAX_OPERATORS = 512;
    private static final Set<String> WORD_OPERATORS = Set.of("and", "or", "xor", "not", "div", "mod", "is", "like", "regexp",
            "rlike", "between", "in", "collate", "binary", "interval", "case", "when", "union", "except", "intersect", "join");
    /** Character sets a string may be introduced with ({@code _utf8mb4'x'}). */
    private static final Set<String> CHARSETS = Set.of("ascii", "binary", "latin1", "utf8", "utf8mb3", "utf8mb4", "ucs2",
            "utf16", "utf32");
    private static final String OPERATORS = "(),.;=<>+-*/%&|^~?";

    private final String sql;
    private final List<Token> tokens = new ArrayList<>();
    private int depth;
    private int operators;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    /**
     * @return the text's tokens, without whitespace and comments
     * @throws SqlRejectedException SQL_UNSUPPORTED for anything outside the allow-list
     */
    static List<String> tokens(String sql) {
        return tokens(sql, true);
    }

    /** The same tokens as text. */
    static List<String> tokens(String sql, boolean comments) {
        return scan(sql, comments).stream().map(Token::text).toList();
    }

    /** A token and where it is in the text. */
    record Token(String text, int start, int end) {
        /** A number, a string (with its prefix or introducer) or a placeholder: what a statement's digest leaves out. */
        boolean isValue() {
            char first = text.charAt(0);
            return first == '?' || first != '`' && (Character.isDigit(first) || text.indexOf('\'') >= 0);
        }

        /** An unquoted name or keyword. */
        boolean isWord() {
            char first = text.charAt(0);
            return (first == '_' || (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z')) && text.indexOf('\'') < 0;
        }
    }

    /**
     * @param comments false for the canonical text, which JSqlParser prints without comments: one there would be
     *                 something it printed that both readers then skip
     */
    static List<Token> scan(String sql, boolean comments) {
        SqlLexer lexer = new SqlLexer(sql);
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int end = lexer.token(i);
            boolean comment = (c == '-' && end > i + 1) || (c == '/' && end > i + 1);
            if (comment && !comments) {
                throw refuse(i, "a comment in the text printed back from the parsed statement");
            }
            boolean blank = c == ' ' || c == '\t' || c == '\n' || c == '\r' || comment;
            if (!blank) {
                String token = sql.substring(i, end);
                lexer.tokens.add(new Token(token, i, end));
                boolean operator = "=<>+-*/%&|^~!".indexOf(c) >= 0 || WORD_OPERATORS.contains(token.toLowerCase(Locale.ROOT));
                if (operator && ++lexer.operators > MAX_OPERATORS) {
                    throw new SqlRejectedException("SQL_TOO_COMPLEX", "The SQL has more than " + MAX_OPERATORS
                            + " operators; write long lists of values as IN (...)");
                }
            }
            i = end;
        }
        return lexer.tokens;
    }

    /** @return the index after the token that starts at {@code i} */
    private int token(int i) {
        char c = sql.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            return i + 1;
        }
        if (isLetter(c) || c == '_') {
            return word(i);
        }
        if (isDigit(c)) {
            return number(i);
        }
        switch (c) {
            case '\'':
                return string(i + 1);
            case '`':
                return quotedName(i);
            case '/':
                if (at(i + 1) == '*') {
                    return blockComment(i);
                }
                if (at(i + 1) == '/') {
                    throw refuse(i, "'//' (a comment to JSqlParser, two divisions to the database)");
                }
                return i + 1;
            case '-':
                if (at(i + 1) == '-') {
                    return lineComment(i);
                }
                if (at(i + 1) == '>') {
                    throw refuse(i, "the JSON operator '->' (not MariaDB syntax); use JSON_EXTRACT");
                }
                return i + 1;
            case '*':
                if (at(i + 1) == '/') {
                    throw refuse(i, "'*/' outside a comment");
                }
                return i + 1;
            case '|':
                if (at(i + 1) == '|') {
                    throw refuse(i, "'||' (OR or concatenation, depending on the server's SQL mode); write OR or CONCAT()");
                }
                return i + 1;
            case '&':
                if (at(i + 1) == '&') {
                    throw refuse(i, "'&&'; write AND");
                }
                return i + 1;
            case '<':
                if (at(i + 1) == '=' && at(i + 2) == '>') {
                    return i + 3;
                }
                return at(i + 1) == '=' || at(i + 1) == '>' || at(i + 1) == '<' ? i + 2 : i + 1;
            case '>':
                return at(i + 1) == '=' || at(i + 1) == '>' ? i + 2 : i + 1;
            case '!':
                if (at(i + 1) == '=') {
                    return i + 2;
                }
                throw refuse(i, "'!' (its precedence depends on the server's SQL mode); write NOT");
            case '.':
                if (isDigit(at(i + 1))) {
                    throw refuse(i, "a number starting with '.'; write 0.5 rather than .5");
                }
                return i + 1;
            case '(':
                if (++depth > MAX_NESTING) {
                    throw new SqlRejectedException("SQL_TOO_COMPLEX", "The SQL nests parentheses more than " + MAX_NESTING + " deep");
                }
                return i + 1;
            case ')':
                depth--;
                return i + 1;
            default:
                if (OPERATORS.indexOf(c) >= 0) {
                    return i + 1;
                }
                throw refuse(i, describe(c));
        }
    }

    private int word(int start) {
        int i = start;
        while (i < sql.length() && isWordChar(sql.charAt(i))) {
            i++;
        }
        char next = at(i);
        if (next == '\'') {
            String prefix = sql.substring(start, i).toLowerCase(Locale.ROOT);
            boolean known = prefix.equals("n") || prefix.equals("x") || prefix.equals("b")
                    || (prefix.startsWith("_") && CHARSETS.contains(prefix.substring(1)));
            if (!known) {
                throw refuse(start, "the string prefix " + sql.substring(start, i) + "' (only N, X, B and a character set"
                        + " such as _utf8mb4 are read the same way by both)");
            }
            return string(i + 1);
        }
        if (next == '$') {
            throw refuse(i, "'$' (dollar quoting or a name with '$'); quote the name with backquotes");
        }
        return i;
    }

    private int number(int start) {
        int i = start;
        if (sql.charAt(i) == '0' && at(i + 1) == 'b' && (at(i + 2) == '0' || at(i + 2) == '1')) {
            throw refuse(start, "a 0b bit value (JSqlParser reads it as a name); write b'101'");
        }
        if (sql.charAt(i) == '0' && at(i + 1) == 'x') {
            i += 2;
            int digits = i;
            while (i < sql.length() && Character.digit(sql.charAt(i), 16) >= 0) {
                i++;
            }
            if (i == digits) {
                throw refuse(start, "a name starting with a digit; quote it with backquotes");
            }
            int end = endOfNumber(start, i);
            int next = end;
            while (next < sql.length() && (sql.charAt(next) == ' ' || sql.charAt(next) == '\t' || sql.charAt(next) == '\n'
                    || sql.charAt(next) == '\r')) {
                next++;
            }
            if (next > end && Character.digit(at(next), 16) >= 0) {
                // JSqlParser's 0x value runs on over spaces and hex digits: 0x1f abc is one value to it.
                throw refuse(next, "a word or number starting with a hex digit right after a 0x value (JSqlParser reads them"
                        + " as one value); write X'1f', or put the value elsewhere");
            }
            return end;
        }
        while (isDigit(at(i))) {
            i++;
        }
        if (at(i) == '.') {
            i++;
            while (isDigit(at(i))) {
                i++;
            }
        }
        if (at(i) == 'e' || at(i) == 'E') {
            int exponent = i + 1;
            if (at(exponent) == '+' || at(exponent) == '-') {
                exponent++;
            }
            if (isDigit(at(exponent))) {
                i = exponent;
                while (isDigit(at(i))) {
                    i++;
                }
            }
        }
        return endOfNumber(start, i);
    }

    private int endOfNumber(int start, int end) {
        char next = at(end);
        if (isWordChar(next) || next == '$' || next == '.') {
            throw refuse(start, "a number run into a name (" + sql.substring(start, Math.min(sql.length(), end + 1))
                    + "...): MariaDB reads it as one name, JSqlParser as two tokens; quote the name with backquotes"
                    + " or put a space after the number");
        }
        return end;
    }

    /** @param i the index after the opening quote; @return the index after the closing quote */
    private int string(int i) {
        int open = i - 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                throw refuse(i, "a backslash inside a quoted string (an escape to the database, not to the check);"
                        + " bind the value as a parameter");
            }
            if (c == '\'') {
                if (at(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            checkQuotedCharacter(i, c);
            i++;
        }
        throw unterminated(open, "a string that is never closed");
    }

    private int quotedName(int open) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '`') {
                if (at(i + 1) == '`') {
                    throw refuse(i, "a doubled backquote inside a quoted name (JSqlParser reads it as two names)");
                }
                if (i == open + 1) {
                    throw refuse(open, "an empty quoted name");
                }
                return i + 1;
            }
            if (c == '\n' || c == '\r' || c == '\t') {
                throw refuse(i, "a line break or tab inside a quoted name");
            }
            checkQuotedCharacter(i, c);
            i++;
        }
        throw unterminated(open, "a quoted name that is never closed");
    }

    private int blockComment(int start) {
        char first = at(start + 2);
        if (first == '!' || ((first == 'M' || first == 'm') && at(start + 3) == '!')) {
            throw refuse(start, "an executable comment '/*!' (the database runs what the check reads as a comment)");
        }
        if (first == '+') {
            throw refuse(start, "an optimizer hint '/*+' (the database acts on what the check reads as a comment)");
        }
        int i = start + 2;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '*' && at(i + 1) == '/') {
                return i + 2;
            }
            if (c == '/' && at(i + 1) == '*') {
                throw refuse(i, "a comment opened inside a comment");
            }
            checkQuotedCharacter(i, c);
            i++;
        }
        throw unterminated(start, "a comment that is never closed");
    }

    /** "--" starts a comment for the database only when a space, tab or line end follows it. */
    private int lineComment(int start) {
        int i = start + 2;
        if (i < sql.length()) {
            char next = sql.charAt(i);
            if (next != ' ' && next != '\t' && next != '\n' && !(next == '\r' && at(i + 1) == '\n')) {
                throw refuse(start, "'--' without a space after it (a comment to JSqlParser, two minus signs to the database);"
                        + " write '-- ' for a comment or '- -' for two minus signs");
            }
        }
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\n') {
                return i + 1;
            }
            if (c == '\r' && at(i + 1) != '\n') {
                throw refuse(i, "a carriage return inside a '--' comment (it ends the comment for JSqlParser only)");
            }
            checkQuotedCharacter(i, c);
            i++;
        }
        return i;
    }

    /** Inside strings, quoted names and comments any character goes but NUL and other control characters. */
    private void checkQuotedCharacter(int i, char c) {
        if (c < ' ' && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
            throw refuse(i, describe(c));
        }
    }

    private char at(int i) {
        return i < sql.length() ? sql.charAt(i) : 0;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordChar(char c) {
        return isLetter(c) || isDigit(c) || c == '_';
    }

    private static String describe(char c) {
        return switch (c) {
            case '"' -> "a double quote (a string to the database, a name to JSqlParser); use single quotes for strings"
                    + " and backquotes for names";
            case '#' -> "a '#' comment (JSqlParser does not read it as one); use /* ... */";
            case '@' -> "'@' (user and system variables are not allowed)";
            case ':' -> "':' (named parameters and ':=' are not allowed); use ? placeholders";
            case '$' -> "'$' (dollar quoting or a name with '$'); quote the name with backquotes";
            case '\\' -> "a backslash";
            case '{', '}' -> "a JDBC escape '{...}' (the driver rewrites it)";
            case '[', ']' -> "a bracket (a name to JSqlParser, not SQL to the database)";
            default -> c < ' ' || c == 0x7f ? "the control character U+" + String.format("%04X", (int) c)
                    : c > 0x7e ? "the character U+" + String.format("%04X", (int) c) + " outside quotes; quote names with backquotes"
                    : "the character '" + c + "'";
        };
    }

    private static SqlRejectedException unterminated(int position, String what) {
        return new SqlRejectedException("SQL_PARSE_ERROR", "The SQL has " + what + " (from character " + (position + 1) + ")");
    }

    private static SqlRejectedException refuse(int position, String what) {
        return new SqlRejectedException(CODE, "The SQL contains " + what + " at character " + (position + 1)
                + "; it is refused because the database and the check would not read it the same way");
    }
}
