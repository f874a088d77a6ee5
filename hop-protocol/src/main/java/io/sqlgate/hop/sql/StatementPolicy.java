package io.sqlgate.hop.sql;

import io.sqlgate.hop.http.ApiException;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a data statement may touch, whoever sends it: only allow-listed tables of one database (never a system
 * schema), only functions on the allow-list ({@link SqlFunctions}), and, for UPDATE and DELETE, a WHERE clause.
 * A pure decision on the parsed statement; who may send which kind of statement is the caller's concern.
 */
public final class StatementPolicy {
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("mysql", "information_schema", "performance_schema", "sys",
            "ndbinfo");

    private final Set<String> allowedTables;
    private final String database;

    public StatementPolicy(String database, Collection<String> allowedTables) {
        this.database = database.toLowerCase(Locale.ROOT);
        this.allowedTables = allowedTables.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** @throws ApiException 403 naming the first table, function or missing WHERE that is not allowed */
    public void check(ParsedStatement statement) {
        for (String table : statement.tables().stream().sorted().toList()) {
            checkTable(table);
        }
        for (String function : statement.functions().stream().sorted().toList()) {
            if (!SqlFunctions.allowed(function)) {
                throw ApiException.forbidden("FUNCTION_FORBIDDEN", "The function " + function.toUpperCase(Locale.ROOT) + " is not allowed"
                        + (function.indexOf('.') >= 0 || function.indexOf('`') >= 0
                        ? " (only built-in functions, unqualified and unquoted, may be called)" : "")
                        + "; the functions allowed are listed in the README");
            }
        }
        if ((statement.type() == StatementType.UPDATE || statement.type() == StatementType.DELETE) && !statement.hasWhere()) {
            throw ApiException.forbidden("WHERE_REQUIRED", statement.type() + " needs a WHERE clause");
        }
    }

    /**
     * Whether running this text can leave nothing on the session for the next statement, which saves resetting
     * a pooled connection after it. True only for a text this check accepts as one SELECT, INSERT, UPDATE or DELETE
     * calling only functions on the allow-list. Such a statement cannot create session state: user and system
     * variables need {@code @} (refused by the lexer), named locks, sequences and {@code LAST_INSERT_ID(x)} need
     * functions off the list, and SET, PREPARE, USE, transactions, LOCK TABLES and temporary tables are other kinds
     * of statement. For any other text the answer is false, whatever it is.
     */
    public static boolean provenStateless(String sql) {
        try {
            ParsedStatement statement = SqlParser.parse(sql);
            return statement.type() != StatementType.OTHER && statement.functions().stream().allMatch(SqlFunctions::allowed);
        } catch (SqlRejectedException e) {
            return false;
        }
    }

    /** {@code direct_table} or {@code main_db.direct_table} as {@code main_db.direct_table}. */
    public String qualified(String table) {
        return table.indexOf('.') < 0 ? database + "." + table : table;
    }

    private void checkTable(String table) {
        int dot = table.lastIndexOf('.');
        String schema = dot < 0 ? null : table.substring(0, dot);
        String name = table.substring(dot + 1);
        if (schema != null && SYSTEM_SCHEMAS.contains(schema)) {
            throw ApiException.forbidden("SYSTEM_SCHEMA_FORBIDDEN", "System schemas are not reachable: " + table);
        }
        if ((schema != null && !schema.equals(database)) || !allowedTables.contains(name)) {
            throw ApiException.forbidden("TABLE_FORBIDDEN", "The table " + table + " is not on the allow-list " + allowedTables.stream().sorted().toList());
        }
    }
}
