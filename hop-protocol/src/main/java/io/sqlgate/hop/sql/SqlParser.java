package io.sqlgate.hop.sql;

import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.util.TablesNamesFinder;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses exactly one statement with JSqlParser and reports what it is and what it touches.
 * <p>
 * The parser is driven directly rather than through {@code CCJSqlParserUtil.parse}, which starts a thread per
 * call to enforce its timeout; one shared timer bounds each parse instead ({@link ParseDeadline}), since
 * JSqlParser's time grows exponentially with nesting, not with length. Statements the parser cannot read
 * (including MySQL's {@code LOCK IN SHARE MODE} and {@code SELECT ... INTO}) are refused, never guessed at,
 * and so is any text the database would read differently from the parser, such as an executable comment
 * ({@link LexicalGuard}).
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

    private static ParsedStatement parseUncached(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new SqlRejectedException("SQL_MISSING", "No SQL query provided");
        }
        LexicalGuard.check(sql);
        Statements statements;
        try {
            statements = ParseDeadline.parse(sql);
        } catch (SqlRejectedException e) {
            throw e;
        } catch (Exception e) {
            throw new SqlRejectedException("SQL_PARSE_ERROR", "The SQL could not be parsed: " + firstLine(e.getMessage()));
        } catch (StackOverflowError e) {
            throw new SqlRejectedException("SQL_TOO_COMPLEX", "The SQL is nested too deeply to be checked");
        }
        if (statements == null || statements.isEmpty()) {
            throw new SqlRejectedException("SQL_MISSING", "No SQL statement found");
        }
        if (statements.size() > 1) {
            throw new SqlRejectedException("SQL_MULTIPLE_STATEMENTS",
                    "Exactly one statement is allowed per request; found " + statements.size());
        }
        return inspect(statements.get(0));
    }

    private static ParsedStatement inspect(Statement statement) {
        StatementType type;
        boolean hasWhere = false;
        if (statement instanceof Select) {
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
            return new ParsedStatement(StatementType.OTHER, false, Set.of(), Set.of(), false);
        }
        Inspector inspector = new Inspector();
        Set<String> tables;
        try {
            tables = inspector.getTables(statement).stream().map(SqlParser::normalise).collect(Collectors.toUnmodifiableSet());
        } catch (UnsupportedOperationException e) {
            throw new SqlRejectedException("SQL_UNSUPPORTED", "The statement uses a construct that cannot be checked: "
                    + firstLine(e.getMessage()));
        }
        // The finder skips whole clauses (ORDER BY, GROUP BY, windows, ON DUPLICATE KEY UPDATE, ...): what the
        // walk finds anywhere is added, so nothing placed there goes unchecked.
        AstWalk.Found everywhere = AstWalk.walk(statement);
        Set<String> allTables = new HashSet<>(tables);
        allTables.addAll(everywhere.tables());
        Set<String> allFunctions = new HashSet<>(inspector.functions);
        allFunctions.addAll(everywhere.functions());
        boolean read = type == StatementType.SELECT && !inspector.locking && !everywhere.locking();
        return new ParsedStatement(type, read, Set.copyOf(allTables), Set.copyOf(allFunctions), hasWhere);
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

    /** Walks the whole statement: tables (without CTE names), function calls and locking clauses at any depth. */
    private static final class Inspector extends TablesNamesFinder<Void> {
        private final Set<String> functions = new HashSet<>();
        private boolean locking;

        @Override
        public <S> Void visit(PlainSelect plainSelect, S context) {
            if (plainSelect.getForMode() != null || plainSelect.getForUpdateTable() != null) {
                locking = true;
            }
            return super.visit(plainSelect, context);
        }

        @Override
        public <S> Void visit(Function function, S context) {
            functions.add(normalise(function.getName()));
            return super.visit(function, context);
        }
    }
}
