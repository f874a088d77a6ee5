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
 * call to enforce its timeout; callers bound the SQL's length instead. Statements the parser cannot read
 * (including MySQL's {@code LOCK IN SHARE MODE} and {@code SELECT ... INTO}) are refused, never guessed at.
 */
public final class SqlParser {

    private SqlParser() {
    }

    public static ParsedStatement parse(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new SqlRejectedException("SQL_MISSING", "No SQL query provided");
        }
        Statements statements;
        try {
            statements = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false).Statements();
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
        boolean read = type == StatementType.SELECT && !inspector.locking;
        return new ParsedStatement(type, read, tables, Set.copyOf(inspector.functions), hasWhere);
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
