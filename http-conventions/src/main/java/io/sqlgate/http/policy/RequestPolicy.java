package io.sqlgate.http.policy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sqlgate.http.ApiException;
import io.sqlgate.hop.wire.ApiRoute;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.hop.wire.Strategy;
import io.sqlgate.sql.ParsedStatement;
import io.sqlgate.sql.Role;
import io.sqlgate.sql.SqlPolicy;
import io.sqlgate.sql.SqlRejectedException;
import io.sqlgate.sql.StatementClass;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The SQL policy as a tier applies it to one request, the same in all three: the statement parsed here (a lookup
 * when its digest is known, {@link StatementChecker}), allowed for the key's role on the route, from this tier's own
 * configuration ({@link SqlPolicy}); its placeholders matched by {@code params}; the strategy named correctly; and
 * the class an earlier tier signed, if any, the class read here. A disagreement on the class means a tier is
 * misconfigured or compromised: it is refused and counted in {@code sqlgate.policy.class_mismatches}.
 */
@Singleton
public final class RequestPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(RequestPolicy.class);
    private final SqlPolicy policy;
    private final StatementChecker checker;
    private final Counter mismatches;

    RequestPolicy(PolicyConfiguration configuration, StatementChecker checker, MeterRegistry meters) {
        this.policy = new SqlPolicy(configuration.database(), configuration.allowedTables());
        this.checker = checker;
        this.mismatches = Counter.builder("sqlgate.policy.class_mismatches")
                .description("Requests whose signed statement class differs from the class this tier read").register(meters);
    }

    /**
     * A request the policy allows: its statement as read here, and how a read picks its node.
     *
     * @param strategy the request's strategy on {@code /query}, the route's on {@code /fetch_*}, null on
     *                 {@code /populate_tables}
     */
    public record Checked(ParsedStatement statement, Strategy strategy) {
    }

    /** The tables a statement touches, each qualified with the policy's database: {@code main_db.direct_table}. */
    public java.util.SortedSet<String> qualified(java.util.Set<String> tables) {
        java.util.SortedSet<String> qualified = new java.util.TreeSet<>();
        tables.forEach(table -> qualified.add(policy.qualified(table)));
        return qualified;
    }

    /**
     * The check of a request that came over a verified hop: the key's name and role are the ones the gatekeeper
     * signed into it, and a request without them is refused.
     */
    public CompletableFuture<Checked> checkSigned(QueryRequest query, ApiRoute route, String requestId) {
        Role role = Role.fromWire(query.role());
        if (query.key() == null || query.key().isBlank()) {
            throw ApiException.badRequest("KEY_MISSING", "The signed request names no key");
        }
        return check(query, query.key(), role, route, requestId);
    }

    /** @return the checked request, or a future that fails with the refusal */
    public CompletableFuture<Checked> check(QueryRequest query, String keyName, Role role, ApiRoute route, String requestId) {
        Strategy strategy = route == ApiRoute.QUERY ? Strategy.parse(query.strategy()) : route.strategy();
        return checker.parse(keyName, query.sql()).thenApply(statement -> {
            policy.check(statement, role, route);
            if (query.paramsOrEmpty().size() != statement.placeholders()) {
                throw ApiException.badRequest("PARAMS_INVALID", "The statement has " + statement.placeholders()
                        + " ? placeholder(s); " + query.paramsOrEmpty().size() + " value(s) were sent in params");
            }
            try {
                StatementClass.crossCheck(query.statementClass(), statement);
            } catch (SqlRejectedException e) {
                mismatches.increment();
                LOG.error("statement class mismatch: {}", e.getMessage(), kv("requestId", requestId), kv("digest", statement.digest()));
                throw e;
            }
            return new Checked(statement, strategy);
        });
    }
}
