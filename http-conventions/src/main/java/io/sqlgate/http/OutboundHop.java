package io.sqlgate.http;

import io.micronaut.context.annotation.Requires;
import io.sqlgate.hop.signing.HopSigner;
import jakarta.inject.Singleton;

/** Signs the requests this tier sends to the next one. */
@Singleton
@Requires(property = HopConfiguration.PREFIX + ".sign-secret")
public final class OutboundHop {
    private final HopSigner signer;

    public OutboundHop(HopConfiguration configuration) {
        this.signer = new HopSigner(configuration.signSecret());
    }

    public Signature sign(String method, String path, String requestId, byte[] body) {
        long now = System.currentTimeMillis();
        return new Signature(Long.toString(now), signer.sign(method, path, now, requestId, body));
    }

    /** The values of the {@code X-Hop-Timestamp} and {@code X-Hop-Signature} headers. */
    public record Signature(String timestamp, String value) {
    }
}
