package io.sqlgate.hop.sql;

import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.create.table.ColDataType;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.WithItem;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks every field of a parsed statement, whatever the clause, and collects every table it reads or writes,
 * every function it calls and whether any part of it locks rows. JSqlParser's own {@code TablesNamesFinder}
 * skips whole clauses (ORDER BY and GROUP BY, window definitions, {@code ON DUPLICATE KEY UPDATE},
 * {@code INSERT ... SET}, {@code CONVERT(x, type)}, ...), so a denied function or a table off the allow-list
 * placed there went unseen; this walk does not depend on knowing the clauses.
 * <p>
 * A column's or {@code t.*}'s qualifier is an alias or a table already named in the FROM clause, so it is not
 * a table here. A common table expression's name hides a table of that name only where the database lets it:
 * after its WITH, and inside its own body only when RECURSIVE.
 */
final class AstWalk {
    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
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

    record Found(Set<String> tables, Set<String> functions, boolean locking) {
    }

    private final Set<String> tables = new HashSet<>();
    private final Set<String> functions = new HashSet<>();
    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean locking;

    private AstWalk() {
    }

    static Found walk(Object statement) {
        AstWalk walk = new AstWalk();
        walk.visit(statement, Set.of());
        return new Found(Set.copyOf(walk.tables), Set.copyOf(walk.functions), walk.locking);
    }

    private void visit(Object node, Set<String> scope) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            for (Object item : items) {
                visit(item, scope);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            visit(map.values(), scope);
            return;
        }
        if (node.getClass().isArray()) {
            if (!node.getClass().getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(node); i++) {
                    visit(Array.get(node, i), scope);
                }
            }
            return;
        }
        if (!node.getClass().getName().startsWith("net.sf.jsqlparser.") || !seen.add(node)) {
            return;
        }
        if (node instanceof Table table) {
            String name = SqlParser.normalise(table.getFullyQualifiedName());
            if (!scope.contains(name)) {
                tables.add(name);
            }
        } else if (node instanceof Function function && function.getName() != null) {
            functions.add(SqlParser.normalise(function.getName()));
        } else if (node instanceof AnalyticExpression analytic && analytic.getName() != null) {
            functions.add(SqlParser.normalise(analytic.getName()));
        } else if (node instanceof Column column && column.getTable() == null && column.getColumnName() != null
                && column.getColumnName().equalsIgnoreCase("current_user")) {
            functions.add("current_user"); // MariaDB's CURRENT_USER needs no parentheses
        } else if (node instanceof ColDataType type && type.getDataType() != null) {
            // JSqlParser reads MySQL's CONVERT(expr, type) the SQL Server way, CONVERT(type, expr): the
            // expression, say SLEEP(5), becomes a "data type". A type name is never a denied function, so
            // counting it as a call can only refuse such a misreading, never let one through.
            functions.add(SqlParser.normalise(type.getDataType().split("[\\s(]", 2)[0]));
        } else if (node instanceof PlainSelect select && (select.getForMode() != null || select.getForUpdateTable() != null)) {
            locking = true;
        }
        List<Field> fields = FIELDS.get(node.getClass());
        Set<String> inner = scope;
        for (Field field : fields) {
            if (field.getName().equals("withItemsList") && get(field, node) instanceof List<?> withItems && !withItems.isEmpty()) {
                inner = withCommonTables(withItems, scope);
            }
        }
        for (Field field : fields) {
            if (!skipped(node, field) && !field.getName().equals("withItemsList")) {
                visit(get(field, node), inner);
            }
        }
    }

    /** Visits each WITH item's body in the scope it has, and returns the scope of the rest of the statement. */
    private Set<String> withCommonTables(List<?> withItems, Set<String> scope) {
        Set<String> names = new HashSet<>(scope);
        for (Object item : withItems) {
            if (item instanceof WithItem<?> with) {
                String name = with.getAlias() == null ? null : SqlParser.normalise(with.getAlias().getName());
                Set<String> body = new HashSet<>(names);
                if (with.isRecursive() && name != null) {
                    body.add(name);
                }
                seen.add(with);
                visit(with.getParenthesedStatement(), body);
                visit(with.getWithItemList(), body);
                if (name != null) {
                    names.add(name);
                }
            } else {
                visit(item, names);
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
}
