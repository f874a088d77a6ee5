package io.sqlgate.hop.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;

/** Checks a hop's signature: present, well-formed, fresh (30 s by default), correct and not seen before. */
public final class HopVerifier {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(30);

    private final HopSigner signer;
    private final Clock clock;
    private final long maxAgeMillis;
    private final ReplayGuard replayGuard;

    public HopVerifier(String secret) {
        this(secret, Clock.systemUTC(), DEFAULT_MAX_AGE);
    }

    public HopVerifier(String secret, Clock clock, Duration maxAge) {
        this.signer = new HopSigner(secret);
        this.clock = clock;
        this.maxAgeMillis = maxAge.toMillis();
        this.replayGuard = new ReplayGuard(maxAge.toSeconds());
    }

    /**
     * @throws HopRejectedException with the reason when the request must be refused
     */
    public void verify(String method, String path, String timestamp, String requestId, String signature, byte[] body) {
        if (signature == null || signature.isEmpty() || timestamp == null || timestamp.isEmpty()) {
            throw new HopRejectedException("The request is not signed");
        }
        if (requestId == null || requestId.isEmpty()) {
            throw new HopRejectedException("The signed request has no request id");
        }
        long millis;
        try {
            millis = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new HopRejectedException("The signature timestamp is malformed");
        }
        if (Math.abs(clock.millis() - millis) > maxAgeMillis) {
            throw new HopRejectedException("The signature is stale (older than " + maxAgeMillis / 1000 + " s) or from the future");
        }
        String expected = signer.sign(method, path, millis, requestId, body);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new HopRejectedException("The signature does not match the request");
        }
        if (!replayGuard.firstUse(millis, signature)) {
            throw new HopRejectedException("The signed request was already used (replay)");
        }
    }
}
