package io.sqlgate.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.sqlgate.hop.signing.HopRejectedException;
import io.sqlgate.hop.signing.HopVerifier;
import io.sqlgate.hop.wire.HopHeaders;
import jakarta.inject.Singleton;

/** Refuses, with 401, every request that the previous tier did not sign. */
@Singleton
@Requires(property = HopConfiguration.PREFIX + ".verify-secret")
public final class InboundHop {
    private final HopVerifier verifier;

    public InboundHop(HopConfiguration configuration) {
        this.verifier = new HopVerifier(configuration.verifySecret());
    }

    public void verify(HttpRequest<?> request, byte[] body) {
        try {
            verifier.verify(request.getMethodName(), request.getPath(),
                    request.getHeaders().get(HopHeaders.TIMESTAMP), request.getHeaders().get(HopHeaders.REQUEST_ID),
                    request.getHeaders().get(HopHeaders.SIGNATURE), body);
        } catch (HopRejectedException e) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "HOP_SIGNATURE_INVALID", e.getMessage());
        }
    }
}
