package io.sqlgate.gatekeeper.validation;

import io.micronaut.http.HttpStatus;
import io.sqlgate.gatekeeper.GatekeeperConfiguration;
import io.sqlgate.gatekeeper.auth.Role;
import io.sqlgate.hop.http.ApiException;
import io.sqlgate.hop.sql.ParsedStatement;
import io.sqlgate.hop.sql.SqlFunctions;
import io.sqlgate.hop.sql.StatementType;
import io.sqlgate.hop.wire.ApiRoute;
import jakarta.inject.Singleton;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a parsed statement may be, for a given key and route: a data statement of the route's class, allowed
 * for the key's role, touching only allow-listed tables (never a system schema), calling only functions on
 * the allow-list ({@link SqlFunctions}), and, for UPDATE and DELETE, restricted by a WHERE clause.
 */
@Singleton
public final class SqlPolicy {
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("mysql", "information_schema", "performance_schema", "sys",
            "ndbinfo");

    private final Set<String> allowedTables;
    private final String database;

    public SqlPolicy(GatekeeperConfiguration configuration) {
        this.database = configuration.database().toLowerCase(Locale.ROOT);
        this.allowedTables = configuration.allowedTables().stream().map(t -> t.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    public void check(ParsedStatement statement, Role role, ApiRoute route) {
        route.check(statement);
        if (role == Role.READER && statement.type() != StatementType.SELECT) {
            throw forbidden("ROLE_FORBIDDEN", "This key may only read; " + statement.type() + " needs a writer key");
        }
        if (role == Role.READER && !statement.read()) {
            throw forbidden("ROLE_FORBIDDEN", "This key may only read; a locking SELECT (FOR UPDATE / FOR SHARE) needs a writer key");
        }
        for (String table : statement.tables()) {
            checkTable(table);
        }
        for (String function : statement.functions().stream().sorted().toList()) {
            if (!SqlFunctions.allowed(function)) {
                throw forbidden("FUNCTION_FORBIDDEN", "The function " + function.toUpperCase(Locale.ROOT) + " is not allowed"
                        + (function.indexOf('.') >= 0 || function.indexOf('`') >= 0 ? " (only built-in functions, unqualified and unquoted, may be called)" : "")
                        + "; the functions allowed are listed in the README");
            }
        }
        if ((statement.type() == StatementType.UPDATE || statement.type() == StatementType.DELETE) && !statement.hasWhere()) {
            throw forbidden("WHERE_REQUIRED", statement.type() + " needs a WHERE clause");
        }
    }

    private void checkTable(String table) {
        int dot = table.lastIndexOf('.');
        String schema = dot < 0 ? null : table.substring(0, dot);
        String name = table.substring(dot + 1);
        if (schema != null && SYSTEM_SCHEMAS.contains(schema)) {
            throw forbidden("SYSTEM_SCHEMA_FORBIDDEN", "System schemas are not reachable: " + table);
        }
        if ((schema != null && !schema.equals(database)) || !allowedTables.contains(name)) {
            throw forbidden("TABLE_FORBIDDEN", "The table " + table + " is not on the allow-list " + allowedTables.stream().sorted().toList());
        }
    }

    private static ApiException forbidden(String code, String message) {
        return new ApiException(HttpStatus.FORBIDDEN, code, message);
    }
}
