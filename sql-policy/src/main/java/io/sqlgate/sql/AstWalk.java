package io.sqlgate.sql;

import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.TranscodingFunction;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.create.table.ColDataType;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Walks every field of a parsed statement, whatever the clause, and collects every table it reads or writes,
 * every function it calls, its placeholders and whether any part of it locks rows. It does not depend on
 * knowing the clauses, so nothing placed in ORDER BY, a window, {@code ON DUPLICATE KEY UPDATE} or anywhere
 * else goes unseen; and it knows the kinds of node it accepts ({@link #ACCEPTED}): a statement holding any
 * other kind, from a dialect MariaDB does not speak or a construct JSqlParser misreads, is refused as
 * {@code SQL_UNSUPPORTED} rather than checked by guesswork.
 * <p>
 * A column's or {@code t.*}'s qualifier is an alias or a table already named in the FROM clause, so it is not
 * a table here. A common table expression's name hides a table of that name only where the database lets it:
 * after its WITH, and inside its own body only when RECURSIVE.
 */
final class AstWalk {
    private static final String EXPRESSION = "net.sf.jsqlparser.expression.";
    private static final String OPERATORS = EXPRESSION + "operators.";
    private static final String SELECT = "net.sf.jsqlparser.statement.select.";

    /** Every kind of node a statement may hold: MariaDB's data statements, as JSqlParser builds them. */
    static final Set<String> ACCEPTED = Set.of(
            // statements and their parts
            SELECT + "PlainSelect", SELECT + "SetOperationList", SELECT + "ParenthesedSelect", SELECT + "WithItem",
            SELECT + "UnionOp", SELECT + "IntersectOp", SELECT + "ExceptOp", SELECT + "SelectItem", SELECT + "AllColumns",
            SELECT + "AllTableColumns", SELECT + "Distinct", SELECT + "Join", SELECT + "ParenthesedFromItem",
            SELECT + "GroupByElement", SELECT + "OrderByElement", SELECT + "Limit", SELECT + "Offset", SELECT + "Fetch",
            SELECT + "Wait", SELECT + "Values",
            "net.sf.jsqlparser.statement.insert.Insert", "net.sf.jsqlparser.statement.update.Update",
            "net.sf.jsqlparser.statement.update.UpdateSet", "net.sf.jsqlparser.statement.delete.Delete",
            "net.sf.jsqlparser.schema.Table", "net.sf.jsqlparser.schema.Column",
            "net.sf.jsqlparser.statement.create.table.ColDataType",
            EXPRESSION + "Alias", EXPRESSION + "Alias$AliasColumn", EXPRESSION + "MySQLIndexHint",
            // values
            EXPRESSION + "JdbcParameter", EXPRESSION + "LongValue", EXPRESSION + "DoubleValue", EXPRESSION + "StringValue",
            EXPRESSION + "HexValue", EXPRESSION + "NullValue", EXPRESSION + "BooleanValue",
            EXPRESSION + "DateTimeLiteralExpression", EXPRESSION + "TimeKeyExpression", EXPRESSION + "IntervalExpression",
            EXPRESSION + "RowConstructor",
            // expressions
            EXPRESSION + "Function", EXPRESSION + "AnalyticExpression", EXPRESSION + "WindowDefinition",
            EXPRESSION + "WindowElement", EXPRESSION + "WindowOffset", EXPRESSION + "WindowRange",
            EXPRESSION + "OrderByClause", EXPRESSION + "PartitionByClause", EXPRESSION + "CaseExpression",
            EXPRESSION + "WhenClause", EXPRESSION + "CastExpression", EXPRESSION + "TranscodingFunction",
            EXPRESSION + "ExtractExpression", EXPRESSION + "TrimFunction", EXPRESSION + "MySQLGroupConcat",
            EXPRESSION + "JsonFunction", EXPRESSION + "JsonFunctionExpression", EXPRESSION + "JsonKeyValuePair",
            EXPRESSION + "JsonAggregateFunction", EXPRESSION + "CollateExpression", EXPRESSION + "NotExpression",
            EXPRESSION + "SignedExpression", EXPRESSION + "AnyComparisonExpression",
            // operators
            OPERATORS + "arithmetic.Addition", OPERATORS + "arithmetic.Subtraction", OPERATORS + "arithmetic.Multiplication",
            OPERATORS + "arithmetic.Division", OPERATORS + "arithmetic.IntegerDivision", OPERATORS + "arithmetic.Modulo",
            OPERATORS + "arithmetic.BitwiseAnd", OPERATORS + "arithmetic.BitwiseOr", OPERATORS + "arithmetic.BitwiseXor",
            OPERATORS + "arithmetic.BitwiseLeftShift", OPERATORS + "arithmetic.BitwiseRightShift",
            OPERATORS + "conditional.AndExpression", OPERATORS + "conditional.OrExpression",
            OPERATORS + "conditional.XorExpression",
            OPERATORS + "relational.EqualsTo", OPERATORS + "relational.NotEqualsTo", OPERATORS + "relational.GreaterThan",
            OPERATORS + "relational.GreaterThanEquals", OPERATORS + "relational.MinorThan",
            OPERATORS + "relational.MinorThanEquals", OPERATORS + "relational.Between", OPERATORS + "relational.InExpression",
            OPERATORS + "relational.IsNullExpression", OPERATORS + "relational.IsBooleanExpression",
            OPERATORS + "relational.LikeExpression", OPERATORS + "relational.ExistsExpression",
            OPERATORS + "relational.FullTextSearch",
            // MariaDB's null-safe equality <=>, which JSqlParser files under another name but prints as written
            OPERATORS + "relational.CosineSimilarity",
            // lists of expressions, as the walk sees them
            OPERATORS + "relational.ExpressionList", OPERATORS + "relational.ParenthesedExpressionList");

    /**
     * The flags of accepted nodes that may be set: JSqlParser keeps other dialects' keywords as flags on the
     * same nodes and prints them back ({@code FROM ONLY t}, PostgreSQL's, is {@code FROM} table {@code ONLY}
     * to MariaDB), so a flag not on this list refuses the statement.
     */
    static final Set<String> ACCEPTED_FLAGS = Set.of("PlainSelect.mySqlHintStraightJoin",
            "PlainSelect.mySqlSqlCalcFoundRows", "PlainSelect.skipLocked", "PlainSelect.noWait", "SetOperationList.skipLocked",
            "SetOperationList.noWait", "ParenthesedSelect.skipLocked", "ParenthesedSelect.noWait", "Join.outer", "Join.right",
            "Join.left", "Join.natural", "Join.full", "Join.inner", "Join.simple", "Join.cross", "Join.straight",
            "Function.allColumns", "Function.distinct", "AnalyticExpression.allColumns", "AnalyticExpression.distinct",
            "Insert.modifierIgnore", "Update.modifierIgnore", "Delete.hasFrom", "Delete.modifierIgnore", "Delete.modifierQuick",
            "WithItem.recursive", "Fetch.isFetchParamFirst", "InExpression.not", "LikeExpression.not", "LikeExpression.useBinary",
            "Between.not", "IsNullExpression.not", "IsBooleanExpression.not", "IsBooleanExpression.isTrue", "ExistsExpression.not",
            "MySQLGroupConcat.distinct", "IntervalExpression.intervalKeyword", "OrderByElement.mysqlWithRollup",
            "OrderByElement.asc", "OrderByElement.ascDescPresent", "GroupByElement.mysqlWithRollup",
            "TrimFunction.isUsingFromKeyword", "Alias.useAs", "UnionOp.all",
            "UnionOp.distinct", "IntersectOp.all", "IntersectOp.distinct", "ExceptOp.all", "ExceptOp.distinct",
            "BooleanValue.value", "TranscodingFunction.isTranscodeStyle", "CastExpression.isImplicitCast");

    /**
     * Words JSqlParser reads as columns that MariaDB reads as keywords, left unquoted: DEFAULT, and a function's
     * unit or format argument ({@code TIMESTAMPADD(DAY, ...)}, {@code GET_FORMAT(DATE, ...)}). Neither names a
     * table or calls a function, so a misreading of them cannot reach anything the check did not see.
     */
    private static final Set<String> KEYWORD_COLUMNS = Set.of("default");
    private static final Set<String> ARGUMENT_KEYWORDS = Set.of("microsecond", "second", "minute", "hour", "day", "week", "month",
            "quarter", "year", "sql_tsi_second", "sql_tsi_minute", "sql_tsi_hour", "sql_tsi_day", "sql_tsi_week", "sql_tsi_month",
            "sql_tsi_quarter", "sql_tsi_year", "frac_second", "date", "time", "datetime", "timestamp");

    /** Niladic functions MariaDB calls without parentheses; JSqlParser reads them as columns. */
    private static final Set<String> BARE_FUNCTIONS = Set.of("current_date", "current_time", "current_timestamp", "current_user",
            "current_role", "localtime", "localtimestamp", "utc_date", "utc_time", "utc_timestamp");

    /** The types CAST may convert to, with an optional length and scale. */
    private static final Pattern CAST_TYPE = Pattern.compile("(?i)(BINARY|CHAR|NCHAR|DATE|DATETIME|TIME|DECIMAL|DOUBLE|FLOAT"
            + "|INTEGER|INT|JSON|SIGNED|UNSIGNED)( INTEGER| INT)?( \\(\\d{1,3}(, \\d{1,3})?\\))?");

    /** The {@code withItemsList} field of a data-changing statement. */
    private static final ClassValue<Field> WITH_ITEMS = new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
            return FIELDS.get(type).stream().filter(f -> f.getName().equals("withItemsList")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(type + " has no withItemsList"));
        }
    };

    static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && c.getName().startsWith("net.sf.jsqlparser."); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || field.getType().getName().startsWith("net.sf.jsqlparser.parser.")) {
                        continue; // the parser's own nodes and tokens, not the statement
                    }
                    field.setAccessible(true);
                    fields.add(field);
                }
            }
            return List.copyOf(fields);
        }
    };

    record Found(Set<String> tables, Set<String> functions, boolean locking, int placeholders) {
    }

    private final Set<String> tables = new HashSet<>();
    private final Set<String> functions = new HashSet<>();
    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean locking;
    private int placeholders;

    private AstWalk() {
    }

    /** @throws SqlRejectedException SQL_UNSUPPORTED when the statement holds a kind of node not accepted */
    static Found walk(Object statement) {
        AstWalk walk = new AstWalk();
        walk.visit(statement, null, Set.of());
        return new Found(Set.copyOf(walk.tables), Set.copyOf(walk.functions), walk.locking, walk.placeholders);
    }

    private void visit(Object node, Object parent, Set<String> scope) {
        if (node == null || node instanceof Enum<?>) {
            return;
        }
        if (node instanceof Collection<?> items && !node.getClass().getName().startsWith("net.sf.jsqlparser.")
                || node instanceof Map<?, ?>) {
            for (Object item : node instanceof Map<?, ?> map ? map.values() : (Collection<?>) node) {
                visit(item, parent, scope);
            }
            return;
        }
        if (node.getClass().isArray()) {
            if (!node.getClass().getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(node); i++) {
                    visit(Array.get(node, i), parent, scope);
                }
            }
            return;
        }
        if (!node.getClass().getName().startsWith("net.sf.jsqlparser.") || !seen.add(node)) {
            return;
        }
        accept(node, parent, scope);
        if (node instanceof Collection<?> items) { // JSqlParser's own lists of expressions
            for (Object item : items) {
                visit(item, parent, scope);
            }
        }
        List<Field> fields = FIELDS.get(node.getClass());
        Set<String> inner = scope;
        for (Field field : fields) {
            if (field.getName().equals("withItemsList") && get(field, node) instanceof List<?> withItems && !withItems.isEmpty()) {
                inner = withCommonTables(withItems, node, scope);
            }
        }
        for (Field field : fields) {
            if (!skipped(node, field) && !field.getName().equals("withItemsList")) {
                visit(get(field, node), node, inner);
            }
        }
    }

    /** Checks one node and records what it reads, writes or calls. */
    private void accept(Object node, Object parent, Set<String> scope) {
        if (!ACCEPTED.contains(node.getClass().getName())) {
            throw unsupported("The statement uses " + construct(node) + ", which the check does not accept");
        }
        for (Field field : FIELDS.get(node.getClass())) {
            if ((field.getType() == boolean.class || field.getType() == Boolean.class) && Boolean.TRUE.equals(get(field, node))
                    && !ACCEPTED_FLAGS.contains(node.getClass().getSimpleName() + "." + field.getName())) {
                throw unsupported("The statement uses " + construct(node) + " with a keyword of another dialect ("
                        + field.getName() + "), which the check does not accept");
            }
        }
        if ((node instanceof Insert || node instanceof Update || node instanceof Delete) && get(WITH_ITEMS.get(node.getClass()), node)
                instanceof List<?> with && !with.isEmpty()) {
            // MariaDB has no WITH before INSERT, UPDATE or DELETE; to JSqlParser its names would hide the tables written.
            throw unsupported("The statement puts WITH before " + node.getClass().getSimpleName().toUpperCase(Locale.ROOT)
                    + "; MariaDB takes WITH only before SELECT (INSERT ... WITH ... SELECT is fine)");
        }
        if (node instanceof Table table) {
            // Table names keep their case (t and T are two tables to MariaDB on Linux); a common table expression's
            // name is compared without case, as MariaDB compares it.
            String name = SqlParser.unquoted(table.getFullyQualifiedName());
            if (!scope.contains(name.toLowerCase(Locale.ROOT))) {
                tables.add(name);
            }
        } else if (node instanceof Function function) {
            // `concat`(x) is a stored function of that name, not the built-in: it keeps its quotes, off every list
            String name = function.getName();
            functions.add(name.indexOf('`') >= 0 ? name.toLowerCase(Locale.ROOT) : SqlParser.normalise(name));
        } else if (node instanceof AnalyticExpression analytic) {
            functions.add(SqlParser.normalise(analytic.getName()));
        } else if (node instanceof TimeKeyExpression key) {
            functions.add(key.getStringValue().replace("()", "").toLowerCase(Locale.ROOT));
        } else if (node instanceof Column column && column.getTable() == null && column.getColumnName() != null
                && BARE_FUNCTIONS.contains(column.getColumnName().toLowerCase(Locale.ROOT))) {
            functions.add(column.getColumnName().toLowerCase(Locale.ROOT)); // unquoted CURRENT_USER is a call, not a column
        } else if (node instanceof ColDataType type) {
            if (!(parent instanceof CastExpression) || type.getDataType() == null || !CAST_TYPE.matcher(type.getDataType()).matches()) {
                throw unsupported("The statement converts to the type " + (type.getDataType() == null ? "?" : type.getDataType())
                        + "; CAST may convert to BINARY, CHAR, NCHAR, DATE, DATETIME, TIME, DECIMAL, DOUBLE, FLOAT, INTEGER,"
                        + " JSON, SIGNED or UNSIGNED");
            }
        } else if (node instanceof CastExpression cast && cast.keyword != null && !cast.keyword.equalsIgnoreCase("CAST")) {
            throw unsupported("The statement uses " + cast.keyword.toUpperCase(Locale.ROOT) + "(...); write CAST(expression AS type)");
        } else if (node instanceof TranscodingFunction transcoding && transcoding.getColDataType() != null) {
            // JSqlParser reads MySQL's CONVERT(expression, type) the SQL Server way, CONVERT(type, expression).
            throw unsupported("The statement uses CONVERT(expression, type), which JSqlParser reads with its arguments swapped;"
                    + " write CAST(expression AS type)");
        } else if (node instanceof Values && !(parent instanceof Insert)) {
            throw unsupported("The statement uses a VALUES list outside INSERT, which the check does not accept");
        } else if (node instanceof Select select && (select.getForMode() != null || select.getForUpdateTable() != null)) {
            // on any SELECT: a union's or a parenthesised one's locking clause locks as well
            locking = true;
        } else if (node instanceof JdbcParameter) {
            placeholders++;
        }
        quoteNames(node, parent);
    }

    /**
     * Backquotes every name the check read as a name, so that the database reads it as a name too, whatever the
     * word: an unquoted word JSqlParser takes for a column or an alias may be syntax to MariaDB ({@code PREVIOUS
     * VALUE FOR s} calls LASTVAL(s)), and no list of such words stays complete from one release to the next.
     */
    private static void quoteNames(Object node, Object parent) {
        if (node instanceof Column column) {
            String name = column.getColumnName();
            boolean bare = column.getTable() == null || column.getTable().getName() == null;
            String word = name == null ? "" : name.toLowerCase(Locale.ROOT);
            boolean keyword = bare && (BARE_FUNCTIONS.contains(word) || KEYWORD_COLUMNS.contains(word)
                    || parent instanceof Function && ARGUMENT_KEYWORDS.contains(word));
            if (!keyword) {
                column.setColumnName(quoted(name));
            }
            if (!bare) {
                quoteTable(column.getTable());
            }
        } else if (node instanceof Table table) {
            quoteTable(table);
        } else if (node instanceof AllTableColumns all && all.getTable() != null) {
            quoteTable(all.getTable());
        } else if (node instanceof Alias alias) {
            if (!alias.getName().startsWith("'")) { // AS 'label' is a name to MariaDB already
                alias.setName(quoted(alias.getName()));
            }
            if (alias.getAliasColumns() != null) {
                alias.setAliasColumns(alias.getAliasColumns().stream()
                        .map(c -> new Alias.AliasColumn(quoted(c.name), c.colDataType)).toList());
            }
        }
    }

    private static void quoteTable(Table table) {
        if (table.getNameParts().size() > 2) {
            throw unsupported("The statement names " + table.getFullyQualifiedName() + "; MariaDB names a table schema.table at most");
        }
        table.setName(quoted(table.getName()));
        if (table.getSchemaName() != null) {
            table.setSchemaName(quoted(table.getSchemaName()));
        }
    }

    private static String quoted(String name) {
        return name == null || name.isEmpty() || name.startsWith("`") ? name : "`" + name + "`";
    }

    /** Visits each WITH item's body in the scope it has, and returns the scope of the rest of the statement. */
    private Set<String> withCommonTables(List<?> withItems, Object parent, Set<String> scope) {
        Set<String> names = new HashSet<>(scope);
        for (Object item : withItems) {
            if (item instanceof WithItem<?> with) {
                accept(with, parent, names);
                String name = with.getAlias() == null ? null : SqlParser.normalise(with.getAlias().getName());
                Set<String> body = new HashSet<>(names);
                if (with.isRecursive() && name != null) {
                    body.add(name);
                }
                seen.add(with);
                visit(with.getParenthesedStatement(), with, body);
                visit(with.getWithItemList(), with, body);
                if (with.getAlias() != null) {
                    visit(with.getAlias(), with, body);
                }
                if (name != null) {
                    names.add(name);
                }
            } else {
                visit(item, parent, names);
            }
        }
        return names;
    }

    /** A qualifier of a column or of {@code t.*} and the table of FOR UPDATE OF name aliases, not tables read. */
    private static boolean skipped(Object node, Field field) {
        String name = field.getName();
        return (node instanceof Column && name.equals("table")) || (node instanceof AllTableColumns && name.equals("table"))
                || name.equals("forUpdateTable");
    }

    private static Object get(Field field, Object node) {
        try {
            return field.get(node);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code LateralSubSelect} becomes "lateral sub select (LATERAL(SELECT ...))", in words a caller can act on. */
    private static String construct(Object node) {
        String words = node.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        String text = String.valueOf(node);
        return "the construct '" + words + "' (" + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + ")";
    }

    private static SqlRejectedException unsupported(String message) {
        return new SqlRejectedException(SqlLexer.CODE, message);
    }
}
