package io.sqlgate.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.sqlgate.hop.signing.HopRejectedException;
import io.sqlgate.hop.signing.HopVerifier;
import io.sqlgate.hop.wire.HopHeaders;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Refuses, with 401, every request that the previous tier did not sign. During a rotation of the previous tier's
 * secret ({@code hop.verify-secret-previous} set) it takes the previous secret's signatures too, and counts them in
 * {@code sqlgate.hop.previous_secret_verifications}: once that stops growing, every sender signs with the new secret
 * and the previous one can go.
 */
@Singleton
@Requires(property = HopConfiguration.PREFIX + ".verify-secret")
public final class InboundHop {
    private static final Logger LOG = LoggerFactory.getLogger(InboundHop.class);
    private final HopVerifier verifier;
    private final Counter previousSecret;

    public InboundHop(HopConfiguration configuration, MeterRegistry meters) {
        this.verifier = new HopVerifier(configuration.verifySecret(), configuration.previousVerifySecret(), Clock.systemUTC(),
                HopVerifier.DEFAULT_MAX_AGE);
        this.previousSecret = Counter.builder("sqlgate.hop.previous_secret_verifications")
                .description("Signed requests verified with the previous hop secret (hop.verify-secret-previous) during a rotation")
                .register(meters);
        if (configuration.previousVerifySecret() != null) {
            LOG.warn("hop.verify-secret-previous is set: requests signed with the previous secret are accepted too until it is removed");
        }
    }

    public void verify(HttpRequest<?> request, byte[] body) {
        try {
            HopVerifier.Secret secret = verifier.verifiedWith(request.getMethodName(), request.getPath(),
                    request.getHeaders().get(HopHeaders.TIMESTAMP), request.getHeaders().get(HopHeaders.REQUEST_ID),
                    request.getHeaders().get(HopHeaders.SIGNATURE), body);
            if (secret == HopVerifier.Secret.PREVIOUS) {
                previousSecret.increment();
            }
        } catch (HopRejectedException e) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "HOP_SIGNATURE_INVALID", e.getMessage());
        }
    }
}
