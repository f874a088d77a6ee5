package io.sqlgate.sql;

import io.sqlgate.hop.wire.ApiRoute;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a statement may be, for a key's role and a route, decided the same way in every tier from that tier's own
 * configuration: a data statement of the route's kind ({@code /populate_tables} writes, {@code /fetch_*} reads),
 * allowed for the role (readers only read, without locking), touching only allow-listed tables of one
 * database, named in their own case (never a system schema, in any case), calling only functions on the allow-list ({@link SqlFunctions}) and, for
 * UPDATE and DELETE, restricted by a WHERE clause. A pure decision on the parsed statement.
 */
public final class SqlPolicy {
    /** The server's own schemas, and sqlgate's audit ledger, which only the proxy writes and no statement reaches. */
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("mysql", "information_schema", "performance_schema", "sys",
            "ndbinfo", "sqlgate_audit");

    private final Set<String> allowedTables;
    private final String database;

    /**
     * @param database      the one database of the allowed tables, as the database names it
     * @param allowedTables the tables, as the database names them: MariaDB on Linux tells {@code t} from {@code T},
     *                      so a statement must name them in their own case
     */
    public SqlPolicy(String database, Collection<String> allowedTables) {
        this.database = database.trim();
        if (SYSTEM_SCHEMAS.contains(this.database.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("The policy's database may not be a system schema: " + this.database);
        }
        this.allowedTables = allowedTables.stream().map(String::trim).collect(Collectors.toUnmodifiableSet());
    }

    /** @throws SqlRejectedException 403 (400 for a statement sent to the wrong route) naming what is not allowed */
    public void check(ParsedStatement statement, Role role, ApiRoute route) {
        checkRoute(statement.type(), route);
        if (role == Role.AUDITOR) {
            throw SqlRejectedException.forbidden("ROLE_FORBIDDEN", "This key is an auditor's: it runs no statement and reads the audit ledger"
                    + " (GET /audit); statements need a reader or writer key");
        }
        if (role == Role.READER && statement.type() != StatementType.SELECT) {
            throw SqlRejectedException.forbidden("ROLE_FORBIDDEN", "This key may only read; " + statement.type() + " needs a writer key");
        }
        if (role == Role.READER && !statement.read()) {
            throw SqlRejectedException.forbidden("ROLE_FORBIDDEN",
                    "This key may only read; a locking SELECT (FOR UPDATE / FOR SHARE) needs a writer key");
        }
        for (String table : statement.tables().stream().sorted().toList()) {
            checkTable(table);
        }
        for (String function : statement.functions().stream().sorted().toList()) {
            if (!SqlFunctions.allowed(function)) {
                throw SqlRejectedException.forbidden("FUNCTION_FORBIDDEN", "The function " + function.toUpperCase(Locale.ROOT) + " is not allowed"
                        + (function.indexOf('.') >= 0 || function.indexOf('`') >= 0
                        ? " (only built-in functions, unqualified and unquoted, may be called)" : "")
                        + "; the functions allowed are listed in the README");
            }
        }
        if ((statement.type() == StatementType.UPDATE || statement.type() == StatementType.DELETE) && !statement.hasWhere()) {
            throw SqlRejectedException.forbidden("WHERE_REQUIRED", statement.type() + " needs a WHERE clause");
        }
    }

    /** Refuses statements that are not data statements, and statements sent to the wrong route. */
    public static void checkRoute(StatementType type, ApiRoute route) {
        if (type == StatementType.OTHER) {
            throw SqlRejectedException.forbidden("SQL_FORBIDDEN", "Only SELECT, INSERT, UPDATE and DELETE statements are allowed");
        }
        if (route == ApiRoute.POPULATE_TABLES && type == StatementType.SELECT) {
            throw SqlRejectedException.misrouted(
                    "/populate_tables takes INSERT, UPDATE or DELETE; send reads to /fetch_direct, /fetch_random or /fetch_customized");
        }
        if (route.isFetch() && type != StatementType.SELECT) {
            throw SqlRejectedException.misrouted("/" + route.path() + " takes SELECT; send writes to /populate_tables or /query");
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
        if (schema != null && SYSTEM_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT))) {
            throw SqlRejectedException.forbidden("SYSTEM_SCHEMA_FORBIDDEN", "System schemas are not reachable: " + table);
        }
        if ((schema != null && !schema.equals(database)) || !allowedTables.contains(name)) {
            throw SqlRejectedException.forbidden("TABLE_FORBIDDEN", "The table " + table + " is not on the allow-list " + allowedTables.stream().sorted().toList());
        }
    }
}
