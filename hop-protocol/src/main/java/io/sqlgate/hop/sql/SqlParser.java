package io.sqlgate.hop.sql;

import io.sqlgate.hop.Sha256;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.update.Update;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses exactly one statement with JSqlParser, reports what it is and what it touches, and gives the text the
 * database is to run in place of the client's: the statement printed back from the parsed tree.
 * <p>
 * Two readers of one text are one disagreement away from a bypass: whatever JSqlParser misreads (a comment
 * the database does not see as one, a quote it ends elsewhere) the database would run unchecked. So the
 * client's text never reaches the database. The parsed tree is printed back ({@link ParsedStatement#canonicalSql()}),
 * and that text must be made only of tokens both readers agree on ({@link SqlLexer}) and hold no comment, and,
 * unless it is the client's text itself, must parse again to a tree that prints the same and touches the same
 * tables and functions; a statement that does not is refused as {@code SQL_UNSUPPORTED}. The database then runs what the policy saw, whatever the parser misread.
 * <p>
 * The parser is driven directly rather than through {@code CCJSqlParserUtil.parse}, which starts a thread per
 * call to enforce its timeout; one shared timer bounds each parse instead ({@link ParseDeadline}), since
 * JSqlParser's time grows exponentially with nesting, not with length. Statements the parser cannot read
 * (including MySQL's {@code LOCK IN SHARE MODE} and {@code SELECT ... INTO}) are refused, never guessed at,
 * and so is any construct outside the kinds of node the check knows ({@link AstWalk}).
 * <p>
 * Parsing costs tens of microseconds; the result depends on the text alone, so accepted statements are kept
 * in a bounded cache keyed by their text ({@link VerdictCache}): a repeated statement, the usual case with
 * bound parameters, is looked up instead of parsed. Texts longer than {@link #MAX_CACHED_LENGTH} are never kept.
 */
public final class SqlParser {

    /** Statements remembered at most; clients that inline literals would otherwise fill any cache. */
    static final int CACHE_CAPACITY = 4096;
    /** Longer texts are parsed every time: they would make the cache's memory depend on clients' input. */
    static final int MAX_CACHED_LENGTH = 1024;
    private static final VerdictCache<String, ParsedStatement> CACHE = new VerdictCache<>(CACHE_CAPACITY);
    private static final String TOO_COMPLEX_CODE = "SQL_TOO_COMPLEX";
    /** Shapes refused for what checking them costs, by the SHA-256 of the shape ({@link SqlLexer#shape}). */
    private static final VerdictCache<String, SqlRejectedException> TOO_COMPLEX = new VerdictCache<>(CACHE_CAPACITY);

    private SqlParser() {
    }

    public static ParsedStatement parse(String sql) {
        if (sql != null && sql.length() <= MAX_CACHED_LENGTH) {
            ParsedStatement known = CACHE.get(sql);
            if (known != null) {
                return known;
            }
            ParsedStatement parsed = parseUncached(sql);
            CACHE.put(sql, parsed);
            return parsed;
        }
        return parseUncached(sql);
    }

    /** @return the verdict on a statement accepted before, or null: a lookup, never a parse */
    public static ParsedStatement known(String sql) {
        return sql != null && sql.length() <= MAX_CACHED_LENGTH ? CACHE.get(sql) : null;
    }

    private static ParsedStatement parseUncached(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new SqlRejectedException("SQL_MISSING", "No SQL query provided");
        }
        // The lexer is linear and cheap; the parser's time grows with nesting. A statement refused for its cost
        // is remembered by its shape, so that repeating it, with other values or not, costs a lookup.
        String digest = Sha256.hex(SqlLexer.shape(SqlLexer.tokens(sql)));
        SqlRejectedException known = TOO_COMPLEX.get(digest);
        if (known != null) {
            throw known;
        }
        try {
            return check(sql);
        } catch (StackOverflowError e) {
            // Parsing, printing and walking recurse as deep as the tree; the lexer's bounds keep trees shallower than this.
            throw remember(digest, new SqlRejectedException(TOO_COMPLEX_CODE, "The SQL is nested too deeply to be checked"));
        } catch (SqlRejectedException e) {
            throw e.code().equals(TOO_COMPLEX_CODE) ? remember(digest, e) : e;
        }
    }

    private static SqlRejectedException remember(String digest, SqlRejectedException refusal) {
        TOO_COMPLEX.put(digest, refusal);
        return refusal;
    }

    private static ParsedStatement check(String sql) {
        // One deadline for both parses: the client's text and the canonical one.
        long deadline = System.nanoTime() + ParseDeadline.LIMIT.toNanos();
        Statement statement = parseOne(sql, deadline);
        ParsedStatement parsed = inspect(statement);
        if (parsed.type() == StatementType.OTHER) {
            return parsed;
        }
        String canonical = parsed.canonicalSql();
        ParsedStatement again;
        List<String> tokens;
        try {
            tokens = SqlLexer.tokens(canonical, false);
            if (canonical.equals(sql)) {
                return parsed; // the text was the canonical one already: a second reading would be the first again
            }
            again = inspect(parseOne(canonical, deadline));
        } catch (SqlRejectedException e) {
            throw e.code().equals(TOO_COMPLEX_CODE) ? e : notFaithful(e.getMessage());
        }
        // JSqlParser's printing may differ in whitespace from one round to the next (X'41' gains a space), which
        // neither reader minds; anything else that differs is refused.
        if (!SqlLexer.tokens(again.canonicalSql(), false).equals(tokens)) {
            throw notFaithful("it prints differently the second time");
        }
        if (!again.tables().equals(parsed.tables()) || !again.functions().equals(parsed.functions()) || again.type() != parsed.type()
                || again.read() != parsed.read() || again.hasWhere() != parsed.hasWhere() || again.placeholders() != parsed.placeholders()) {
            throw notFaithful("it reads differently the second time");
        }
        return parsed;
    }

    private static SqlRejectedException notFaithful(String why) {
        return new SqlRejectedException(SqlLexer.CODE, "The statement cannot be printed back faithfully for the database"
                + " (" + why + "); rewrite the construct it uses, see the README's list of unsupported constructs");
    }

    private static Statement parseOne(String sql, long deadline) {
        Statements statements;
        try {
            statements = ParseDeadline.parse(sql, deadline);
        } catch (SqlRejectedException e) {
            throw e;
        } catch (Exception e) {
            throw new SqlRejectedException("SQL_PARSE_ERROR", "The SQL could not be parsed: " + firstLine(e.getMessage()));
        }
        if (statements == null || statements.isEmpty()) {
            throw new SqlRejectedException("SQL_MISSING", "No SQL statement found");
        }
        if (statements.size() > 1) {
            throw new SqlRejectedException("SQL_MULTIPLE_STATEMENTS",
                    "Exactly one statement is allowed per request; found " + statements.size());
        }
        return statements.get(0);
    }

    private static ParsedStatement inspect(Statement statement) {
        StatementType type;
        boolean hasWhere = false;
        if (statement instanceof PlainSelect || statement instanceof SetOperationList || statement instanceof ParenthesedSelect) {
            type = StatementType.SELECT;
        } else if (statement instanceof Insert) {
            type = StatementType.INSERT;
        } else if (statement instanceof Update update) {
            type = StatementType.UPDATE;
            hasWhere = update.getWhere() != null;
        } else if (statement instanceof Delete delete) {
            type = StatementType.DELETE;
            hasWhere = delete.getWhere() != null;
        } else {
            // VALUES, TABLE, REPLACE, DDL, SET, SHOW, CALL, ...: refused by every route, never run
            return new ParsedStatement(StatementType.OTHER, false, Set.of(), Set.of(), false, null, 0);
        }
        AstWalk.Found found = AstWalk.walk(statement);
        boolean read = type == StatementType.SELECT && !found.locking();
        return new ParsedStatement(type, read, found.tables(), found.functions(), hasWhere, statement.toString(),
                found.placeholders());
    }

    /** {@code `Main_Db`.`Direct_Table`} becomes {@code main_db.direct_table}. */
    static String normalise(String qualifiedName) {
        StringBuilder out = new StringBuilder(qualifiedName.length());
        for (String part : qualifiedName.split("\\.")) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(unquote(part.trim()).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    private static String unquote(String name) {
        if (name.length() >= 2) {
            char first = name.charAt(0);
            char last = name.charAt(name.length() - 1);
            if ((first == '`' && last == '`') || (first == '"' && last == '"') || (first == '[' && last == ']')) {
                return name.substring(1, name.length() - 1);
            }
        }
        return name;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unexpected input";
        }
        String line = message.lines().findFirst().orElse("unexpected input").trim();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
