package io.sqlgate.sql;

import io.sqlgate.hop.Texts;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.update.Update;

import java.util.List;
import java.util.function.ToIntFunction;
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
 * tables and functions; a statement that does not is refused as {@code SQL_UNSUPPORTED}. The database then runs
 * what the policy saw, whatever the parser misread.
 * <p>
 * The parser is driven directly rather than through {@code CCJSqlParserUtil.parse}, which starts a thread per
 * call to enforce its timeout; one shared timer bounds each parse instead ({@link ParseDeadline}), since
 * JSqlParser's time grows exponentially with nesting, not with length. Statements the parser cannot read
 * (including MySQL's {@code LOCK IN SHARE MODE} and {@code SELECT ... INTO}) are refused, never guessed at,
 * and so is any construct outside the kinds of node the check knows ({@link AstWalk}).
 * <p>
 * Parsing costs tens to hundreds of microseconds, and what a statement touches depends on its digest alone
 * ({@link SqlDigest}: the tokens with the values taken out). So verdicts are kept by digest, with the canonical
 * text as a template whose values are left open: a statement of a known digest costs its lexing and a lookup,
 * whatever values it carries, and what runs is the canonical text of the first statement of that digest with
 * this statement's values in their places, each one token the lexer read as a value. That text is lexed again
 * and must have the digest of the template, or the statement is parsed in full. A template is kept only when the
 * canonical text has the client's digest but for the quoting of names, so that its values stand where the
 * client's stood; other statements are kept by their exact text. Digests longer than
 * {@link #MAX_CACHED_LENGTH} are never kept, and each cache holds {@link #CACHE_CHARACTERS} at most, so the caches'
 * memory does not depend on what clients send.
 */
public final class SqlParser {

    /**
     * Characters each cache holds at most, keys, templates and values together (2 M characters, 4 MB): the bound is
     * on what is held, so that a few long statements cannot hold more memory than many short ones.
     */
    static final long CACHE_CHARACTERS = 2L << 20;
    /** Longer digests and texts are parsed every time: no key of a cache is longer. */
    static final int MAX_CACHED_LENGTH = 1024;
    private static final String TOO_COMPLEX_CODE = "SQL_TOO_COMPLEX";
    /** Verdicts by digest. */
    private static final Cache<String, Verdict> BY_DIGEST = cache(Verdict::heldCharacters);
    /** Statements whose canonical text is not a template for their digest, by their exact text. */
    private static final Cache<String, ParsedStatement> BY_TEXT = cache(statement -> statement.canonicalSql() == null ? 0 : statement.canonicalSql().length());
    /**
     * Digests whose check overflowed the stack: that depends on the statement's shape alone. A refusal at the parse
     * deadline is not kept: the time a parse takes depends on the values (a list's length) and on the machine's load,
     * and the parser time a key may use is bounded by its budget instead ({@code StatementChecker}).
     */
    private static final Cache<String, SqlRejectedException> TOO_COMPLEX = cache(refusal -> refusal.getMessage().length());

    private SqlParser() {
    }

    /** @param held the characters a value holds besides its key, which it is weighed by with its key */
    private static <V> Cache<String, V> cache(ToIntFunction<V> held) {
        // Maintenance on the calling thread: the bound holds at once, without a background pool.
        return Caffeine.newBuilder().maximumWeight(CACHE_CHARACTERS)
                .<String, V>weigher((key, value) -> 64 + key.length() + held.applyAsInt(value))
                .executor(Runnable::run).build();
    }

    /**
     * What a statement is, touches and runs as.
     *
     * @throws SqlRejectedException 400 when it is missing, not one statement, not readable or not supported
     */
    public static ParsedStatement parse(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new SqlRejectedException("SQL_MISSING", "No SQL query provided");
        }
        List<SqlLexer.Token> tokens = SqlLexer.scan(sql, true);
        SqlDigest digest = SqlDigest.of(tokens);
        boolean cached = digest.key().length() <= MAX_CACHED_LENGTH;
        ParsedStatement known = cached ? known(sql, digest) : null;
        if (known != null) {
            return known;
        }
        // The lexer is linear and cheap; the parser's time grows with nesting. A statement too deep for the stack is
        // remembered by its digest, so that repeating it, with other values or not, costs a lookup.
        SqlRejectedException tooComplex = cached ? TOO_COMPLEX.getIfPresent(digest.key()) : null;
        if (tooComplex != null) {
            throw tooComplex;
        }
        try {
            return check(sql, tokens, digest, cached);
        } catch (StackOverflowError e) {
            // Parsing, printing and walking recurse as deep as the tree; the lexer's bounds keep trees shallower than this.
            throw remember(digest, cached, new SqlRejectedException(TOO_COMPLEX_CODE, "The SQL is nested too deeply to be checked"));
        }
    }

    /** @return the statement from a verdict kept for its digest or its text, or null: a lookup, never a parse */
    public static ParsedStatement known(String sql) {
        if (sql == null || sql.isBlank()) {
            return null;
        }
        SqlDigest digest = SqlDigest.of(sql);
        return digest.key().length() <= MAX_CACHED_LENGTH ? known(sql, digest) : null;
    }

    private static ParsedStatement known(String sql, SqlDigest digest) {
        Verdict verdict = BY_DIGEST.getIfPresent(digest.key());
        if (verdict != null) {
            ParsedStatement statement = verdict.apply(digest);
            if (statement != null) {
                return statement;
            }
        }
        return sql.length() <= MAX_CACHED_LENGTH ? BY_TEXT.getIfPresent(sql) : null;
    }

    private static SqlRejectedException remember(SqlDigest digest, boolean cached, SqlRejectedException refusal) {
        if (cached) {
            TOO_COMPLEX.put(digest.key(), refusal);
        }
        return refusal;
    }

    /** Entries kept now, in all three caches, after their bound is applied. */
    static long cachedEntries() {
        BY_DIGEST.cleanUp();
        BY_TEXT.cleanUp();
        TOO_COMPLEX.cleanUp();
        return BY_DIGEST.estimatedSize() + BY_TEXT.estimatedSize() + TOO_COMPLEX.estimatedSize();
    }

    /** The largest weight, in characters, that one of the caches holds now. */
    static long largestCacheCharacters() {
        cachedEntries();
        return java.util.stream.Stream.of(BY_DIGEST, BY_TEXT, TOO_COMPLEX)
                .mapToLong(c -> c.policy().eviction().orElseThrow().weightedSize().orElseThrow()).max().orElseThrow();
    }

    /** Parses, checks and prints back a statement, and keeps the verdict. */
    private static ParsedStatement check(String sql, List<SqlLexer.Token> tokens, SqlDigest digest, boolean cached) {
        ParsedStatement parsed = checkUncached(sql, tokens, digest);
        if (!cached) {
            return parsed;
        }
        if (parsed.type() == StatementType.OTHER) {
            BY_DIGEST.put(digest.key(), new Verdict(parsed, null));
            return parsed;
        }
        SqlDigest canonical = SqlDigest.of(parsed.canonicalSql());
        if (canonical.sameButForQuoting(digest) && canonical.key().length() <= MAX_CACHED_LENGTH) {
            BY_DIGEST.put(digest.key(), new Verdict(parsed, canonical));
        } else if (sql.length() <= MAX_CACHED_LENGTH) {
            BY_TEXT.put(sql, parsed);
        }
        return parsed;
    }

    /** The full check, with no cache: what every verdict kept is computed by. */
    static ParsedStatement checkUncached(String sql) {
        List<SqlLexer.Token> tokens = SqlLexer.scan(sql, true);
        return checkUncached(sql, tokens, SqlDigest.of(tokens));
    }

    private static ParsedStatement checkUncached(String sql, List<SqlLexer.Token> tokens, SqlDigest digest) {
        // One deadline for both parses: the client's text and the canonical one.
        long deadline = System.nanoTime() + ParseDeadline.LIMIT.toNanos();
        Statement statement = parseOne(sql, deadline);
        ParsedStatement parsed = inspect(statement, digest);
        if (parsed.type() == StatementType.OTHER) {
            return parsed;
        }
        long placeholders = tokens.stream().filter(t -> t.text().equals("?")).count();
        if (placeholders != parsed.placeholders()) {
            throw notFaithful("it has " + placeholders + " ? placeholders, and the parser reads " + parsed.placeholders());
        }
        String canonical = parsed.canonicalSql();
        ParsedStatement again;
        List<String> printed;
        try {
            printed = SqlLexer.tokens(canonical, false);
            if (canonical.equals(sql)) {
                return parsed; // the text was the canonical one already: a second reading would be the first again
            }
            again = inspect(parseOne(canonical, deadline), digest);
        } catch (SqlRejectedException e) {
            throw e.code().equals(TOO_COMPLEX_CODE) ? e : notFaithful(e.getMessage());
        }
        // JSqlParser's printing may differ in whitespace from one round to the next (X'41' gains a space), which
        // neither reader minds; anything else that differs is refused.
        if (!SqlLexer.tokens(again.canonicalSql(), false).equals(printed)) {
            throw notFaithful("it prints differently the second time");
        }
        if (!again.sameVerdict(parsed) || again.placeholders() != parsed.placeholders()) {
            throw notFaithful("it reads differently the second time");
        }
        return parsed;
    }

    /**
     * What statements of one digest share: what they are and touch, and the canonical text of the first one as a
     * template for the others, whose values stand where the template digest's slots say (null when it is not a
     * template, and for statements that are not data statements).
     */
    private record Verdict(ParsedStatement first, SqlDigest templateDigest) {
        /** @return the statement of this digest with these values, or null when it must be parsed in full */
        ParsedStatement apply(SqlDigest digest) {
            if (first.type() == StatementType.OTHER) {
                return first;
            }
            if (templateDigest == null) {
                return null;
            }
            String sql = fill(digest.slots());
            List<SqlLexer.Token> tokens;
            try {
                tokens = SqlLexer.scan(sql, false);
            } catch (SqlRejectedException e) {
                return null;
            }
            SqlDigest filled = SqlDigest.of(tokens);
            if (!filled.key().equals(templateDigest.key())) {
                return null; // the values did not stand where the template's did
            }
            int placeholders = (int) tokens.stream().filter(t -> t.text().equals("?")).count();
            return new ParsedStatement(first.type(), first.read(), first.tables(), first.functions(), first.hasWhere(), sql,
                    placeholders, digest.text());
        }

        /**
         * The characters this verdict holds: its template (the first statement's canonical text is the same string)
         * and the template's values, at most as long again.
         */
        int heldCharacters() {
            return templateDigest == null ? 0 : 2 * first.canonicalSql().length();
        }

        /** The template with each value, or list of values, in place of its own, a space either side. */
        private String fill(List<SqlDigest.Slot> values) {
            String template = first.canonicalSql();
            List<SqlDigest.Slot> own = templateDigest.slots();
            if (own.size() != values.size()) {
                return template; // cannot happen for one digest; the check of the result refuses it anyway
            }
            StringBuilder sql = new StringBuilder(template.length() + 16);
            int at = 0;
            for (int i = 0; i < own.size(); i++) {
                SqlDigest.Slot slot = own.get(i);
                sql.append(template, at, slot.start()).append(' ').append(values.get(i).text()).append(' ');
                at = slot.end();
            }
            return sql.append(template, at, template.length()).toString();
        }
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
            throw new SqlRejectedException("SQL_PARSE_ERROR", "The SQL could not be parsed: " + Texts.clip(Texts.firstLine(e.getMessage(), "unexpected input"), 200));
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

    private static ParsedStatement inspect(Statement statement, SqlDigest digest) {
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
            return new ParsedStatement(StatementType.OTHER, false, Set.of(), Set.of(), false, null, 0, digest.text());
        }
        AstWalk.Found found = AstWalk.walk(statement);
        boolean read = type == StatementType.SELECT && !found.locking();
        return new ParsedStatement(type, read, found.tables(), found.functions(), hasWhere, statement.toString(),
                found.placeholders(), digest.text());
    }

    /** {@code `Main_Db`.`Direct_Table`} becomes {@code main_db.direct_table}: for functions, whose names know no case. */
    static String normalise(String qualifiedName) {
        return unquoted(qualifiedName).toLowerCase(Locale.ROOT);
    }

    /** {@code `Main_Db`.`Direct_Table`} becomes {@code Main_Db.Direct_Table}: for tables, whose names keep their case. */
    static String unquoted(String qualifiedName) {
        StringBuilder out = new StringBuilder(qualifiedName.length());
        for (String part : qualifiedName.split("\\.")) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(unquote(part.trim()));
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
}
