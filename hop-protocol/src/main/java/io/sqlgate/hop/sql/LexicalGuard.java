package io.sqlgate.hop.sql;

/**
 * Reads the SQL text the way MariaDB and MySQL read it (strings, quoted names, comments) and refuses every
 * construct on which the database and JSqlParser disagree, before JSqlParser is asked anything. Without it a
 * statement could carry code that the checks never see but the database runs:
 * <ul>
 *   <li>executable comments {@code /*! ... *}{@code /}, {@code /*M! ... *}{@code /} and optimizer hints
 *       {@code /*+ ... *}{@code /}: a comment to JSqlParser, code to the database;</li>
 *   <li>{@code --} not followed by a space or control character: a comment to JSqlParser, two minus signs
 *       to the database; a carriage return inside a {@code --} comment ends it for JSqlParser only;</li>
 *   <li>{@code #} comments, which JSqlParser does not know;</li>
 *   <li>backslashes in quoted strings: an escape to the database, not to JSqlParser, so the two end the
 *       string at different places;</li>
 *   <li>quoting that only JSqlParser knows ({@code q'[...]'}, {@code $$...$$}), JDBC escapes
 *       ({@code {fn ...}}, rewritten by the driver), nested comment openers, NUL and other control characters;</li>
 *   <li>system variables ({@code @@hostname}, {@code @@version}): not a function, so no function check sees them.</li>
 * </ul>
 * Values that need any of these characters are sent as bound parameters, which never go through this check.
 */
final class LexicalGuard {
    static final String CODE = "SQL_UNSUPPORTED";
    /**
     * Deeper parentheses are refused before parsing: JSqlParser's time grows exponentially with nesting (a
     * hundred levels take it minutes), and no statement of ours needs more.
     */
    static final int MAX_NESTING = 32;

    private LexicalGuard() {
    }

    static void check(String sql) {
        int length = sql.length();
        int depth = 0;
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '(' && ++depth > MAX_NESTING) {
                throw new SqlRejectedException("SQL_TOO_COMPLEX", "The SQL nests parentheses more than " + MAX_NESTING + " deep");
            } else if (c == ')') {
                depth--;
            }
            if (c == '\'' || c == '"') {
                checkPrefix(sql, i);
                i = endOfString(sql, i, c);
            } else if (c == '`') {
                i = endOfQuotedName(sql, i);
            } else if (c == '#') {
                throw refuse("a '#' comment (JSqlParser does not read it as one); use /* ... */");
            } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                i = endOfLineComment(sql, i);
            } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                i = endOfBlockComment(sql, i);
            } else if (c == '{' || c == '}') {
                throw refuse("a JDBC escape '{...}' (the driver rewrites it)");
            } else if (c == '$' && i + 1 < length && sql.charAt(i + 1) == '$') {
                throw refuse("dollar quoting '$$' (not SQL the database knows)");
            } else if (c == '$' && dollarTag(sql, i)) {
                throw refuse("dollar quoting '$tag$' (not SQL the database knows)");
            } else if (c == '@' && i + 1 < length && sql.charAt(i + 1) == '@') {
                throw refuse("a system variable '@@...'");
            } else if (c == 0 || (c < ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f')) {
                throw refuse("the control character U+" + String.format("%04X", (int) c));
            } else {
                i++;
            }
        }
    }

    /** A quote right after a word: only the database's own prefixes (N, X, B, _charset), never q'...' and its kin. */
    private static void checkPrefix(String sql, int quote) {
        int start = quote;
        while (start > 0 && isWordChar(sql.charAt(start - 1))) {
            start--;
        }
        if (start == quote) {
            return;
        }
        String word = sql.substring(start, quote);
        boolean known = sql.charAt(quote) == '\''
                && (word.equalsIgnoreCase("n") || word.equalsIgnoreCase("x") || word.equalsIgnoreCase("b") || word.startsWith("_"));
        if (!known) {
            throw refuse("the string prefix " + word + sql.charAt(quote) + " (not SQL the database reads the same way)");
        }
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static boolean dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        // "$tag$" opening a PostgreSQL-style string, not a '$' inside a name such as a$b
        return j > i + 1 && j < sql.length() && sql.charAt(j) == '$' && (i == 0 || !isWordChar(sql.charAt(i - 1)));
    }

    /** @return the index after the closing quote; a doubled quote stays inside */
    private static int endOfString(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                throw refuse("a backslash inside a quoted string (the database reads it as an escape, the checker does not);"
                        + " bind the value as a parameter");
            }
            if (c == 0) {
                throw refuse("a NUL character");
            }
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length(); // unterminated: the parser refuses it
    }

    private static int endOfQuotedName(String sql, int open) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == 0) {
                throw refuse("a NUL character");
            }
            if (c == '`') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '`') {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    /** "--" starts a comment for the database only when a space or a control character follows it. */
    private static int endOfLineComment(String sql, int start) {
        int i = start + 2;
        if (i < sql.length()) {
            char next = sql.charAt(i);
            if (!(next == ' ' || next < ' ')) {
                throw refuse("'--' without a space after it (a comment to the checker, two minus signs to the database);"
                        + " write '-- ' for a comment or '- -' for two minus signs");
            }
        }
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\n') {
                return i + 1;
            }
            if (c == '\r' && (i + 1 >= sql.length() || sql.charAt(i + 1) != '\n')) {
                throw refuse("a carriage return inside a '--' comment (it ends the comment for the checker only)");
            }
            if (c == 0) {
                throw refuse("a NUL character");
            }
            i++;
        }
        return i;
    }

    private static int endOfBlockComment(String sql, int start) {
        int i = start + 2;
        if (i < sql.length()) {
            char first = sql.charAt(i);
            if (first == '!' || ((first == 'M' || first == 'm') && i + 1 < sql.length() && sql.charAt(i + 1) == '!')) {
                throw refuse("an executable comment '/*!' (the database runs what the checker reads as a comment)");
            }
            if (first == '+') {
                throw refuse("an optimizer hint '/*+' (the database acts on what the checker reads as a comment)");
            }
        }
        while (i + 1 < sql.length()) {
            char c = sql.charAt(i);
            if (c == '*' && sql.charAt(i + 1) == '/') {
                return i + 2;
            }
            if (c == '/' && sql.charAt(i + 1) == '*') {
                throw refuse("a comment opened inside a comment");
            }
            if (c == 0) {
                throw refuse("a NUL character");
            }
            i++;
        }
        return sql.length(); // unterminated: the parser refuses it
    }

    private static SqlRejectedException refuse(String what) {
        return new SqlRejectedException(CODE, "The SQL contains " + what + "; it is refused because the database and the"
                + " check would not read it the same way");
    }
}
