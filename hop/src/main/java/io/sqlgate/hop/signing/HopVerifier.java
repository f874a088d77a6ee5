package io.sqlgate.hop.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;

/**
 * Checks a hop's signature: present, well-formed, fresh (30 s by default), correct and not seen before. During a
 * rotation of the hop's secret it also takes signatures made with the previous secret, so that the senders can
 * switch to the new one one by one without a refusal; once none of them signs with the previous secret any more,
 * it is removed and its signatures are refused again.
 */
public final class HopVerifier {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(30);

    /** Which secret a signature was made with. */
    public enum Secret {
        CURRENT, PREVIOUS
    }

    private final HopSigner signer;
    private final HopSigner previous;
    private final Clock clock;
    private final long maxAgeMillis;
    private final ReplayGuard replayGuard;

    public HopVerifier(String secret) {
        this(secret, null, Clock.systemUTC(), DEFAULT_MAX_AGE);
    }

    public HopVerifier(String secret, Clock clock, Duration maxAge) {
        this(secret, null, clock, maxAge);
    }

    /**
     * @param previousSecret the secret the senders used before {@code secret}, taken as well while they switch; null
     *                       when there is no rotation. It must be as long as any hop secret.
     */
    public HopVerifier(String secret, String previousSecret, Clock clock, Duration maxAge) {
        this.signer = new HopSigner(secret);
        this.previous = previousSecret == null ? null : new HopSigner(previousSecret);
        this.clock = clock;
        this.maxAgeMillis = maxAge.toMillis();
        this.replayGuard = new ReplayGuard(maxAge.toSeconds());
    }

    /**
     * @throws HopRejectedException with the reason when the request must be refused
     */
    public void verify(String method, String path, String timestamp, String requestId, String signature, byte[] body) {
        verifiedWith(method, path, timestamp, requestId, signature, body);
    }

    /**
     * {@link #verify}, telling which secret the request was signed with.
     *
     * @throws HopRejectedException with the reason when the request must be refused
     */
    public Secret verifiedWith(String method, String path, String timestamp, String requestId, String signature, byte[] body) {
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
        Secret secret;
        if (matches(signer, method, path, millis, requestId, body, signature)) {
            secret = Secret.CURRENT;
        } else if (previous != null && matches(previous, method, path, millis, requestId, body, signature)) {
            secret = Secret.PREVIOUS;
        } else {
            throw new HopRejectedException("The signature does not match the request");
        }
        if (!replayGuard.firstUse(millis, signature)) {
            throw new HopRejectedException("The signed request was already used (replay)");
        }
        return secret;
    }

    private static boolean matches(HopSigner signer, String method, String path, long millis, String requestId, byte[] body,
                                   String signature) {
        String expected = signer.sign(method, path, millis, requestId, body);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }
}
