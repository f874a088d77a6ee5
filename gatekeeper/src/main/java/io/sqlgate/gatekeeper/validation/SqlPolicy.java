package io.sqlgate.gatekeeper.validation;

import io.sqlgate.gatekeeper.GatekeeperConfiguration;
import io.sqlgate.gatekeeper.auth.Role;
import io.sqlgate.hop.http.ApiException;
import io.sqlgate.hop.sql.ParsedStatement;
import io.sqlgate.hop.sql.StatementPolicy;
import io.sqlgate.hop.sql.StatementType;
import io.sqlgate.hop.wire.ApiRoute;
import jakarta.inject.Singleton;

/**
 * What a parsed statement may be, for a given key and route: a data statement of the route's class, allowed
 * for the key's role, and within what any statement may touch ({@link StatementPolicy}: allow-listed tables,
 * allow-listed functions, a WHERE clause for UPDATE and DELETE).
 */
@Singleton
public final class SqlPolicy {
    private final StatementPolicy statements;

    public SqlPolicy(GatekeeperConfiguration configuration) {
        this.statements = new StatementPolicy(configuration.database(), configuration.allowedTables());
    }

    public void check(ParsedStatement statement, Role role, ApiRoute route) {
        route.check(statement);
        if (role == Role.READER && statement.type() != StatementType.SELECT) {
            throw ApiException.forbidden("ROLE_FORBIDDEN", "This key may only read; " + statement.type() + " needs a writer key");
        }
        if (role == Role.READER && !statement.read()) {
            throw ApiException.forbidden("ROLE_FORBIDDEN", "This key may only read; a locking SELECT (FOR UPDATE / FOR SHARE) needs a writer key");
        }
        statements.check(statement);
    }
}
