package io.sqlgate.hop.signing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HopVerifierTest {
    private static final String SECRET = "a-test-secret-of-enough-length";
    private static final long NOW = 1_800_000_000_000L;
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private final HopSigner signer = new HopSigner(SECRET);
    private final byte[] body = "{\"sql\":\"SELECT 1\"}".getBytes(StandardCharsets.UTF_8);

    private HopVerifier verifier() {
        return new HopVerifier(SECRET, clock, Duration.ofSeconds(30));
    }

    @Test
    void acceptsAGoodSignatureOnce() {
        HopVerifier verifier = verifier();
        String signature = signer.sign("POST", "/query", NOW, "req-1", body);
        assertDoesNotThrow(() -> verifier.verify("POST", "/query", Long.toString(NOW), "req-1", signature, body));
        HopRejectedException replay = assertThrows(HopRejectedException.class,
                () -> verifier.verify("POST", "/query", Long.toString(NOW), "req-1", signature, body));
        assertTrue(replay.getMessage().contains("replay"));
    }

    @Test
    void refusesAnyChangeToTheSignedParts() {
        HopVerifier verifier = verifier();
        String signature = signer.sign("POST", "/query", NOW, "req-1", body);
        String ts = Long.toString(NOW);
        assertThrows(HopRejectedException.class, () -> verifier.verify("PUT", "/query", ts, "req-1", signature, body));
        assertThrows(HopRejectedException.class, () -> verifier.verify("POST", "/fetch_direct", ts, "req-1", signature, body));
        assertThrows(HopRejectedException.class, () -> verifier.verify("POST", "/query", Long.toString(NOW + 1), "req-1", signature, body));
        assertThrows(HopRejectedException.class, () -> verifier.verify("POST", "/query", ts, "req-2", signature, body));
        assertThrows(HopRejectedException.class, () -> verifier.verify("POST", "/query", ts, "req-1", signature,
                "{\"sql\":\"SELECT 2\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesAnotherSecret() {
        String signature = new HopSigner("another-secret-of-enough-length").sign("POST", "/query", NOW, "req-1", body);
        assertThrows(HopRejectedException.class,
                () -> verifier().verify("POST", "/query", Long.toString(NOW), "req-1", signature, body));
    }

    @Test
    void refusesStaleAndFutureTimestamps() {
        HopVerifier verifier = verifier();
        long stale = NOW - 31_000;
        long future = NOW + 31_000;
        String staleSignature = signer.sign("POST", "/query", stale, "req-1", body);
        String futureSignature = signer.sign("POST", "/query", future, "req-1", body);
        assertThrows(HopRejectedException.class, () -> verifier.verify("POST", "/query", Long.toString(stale), "req-1", staleSignature, body));
        assertThrows(HopRejectedException.class, () -> verifier.verify("POST", "/query", Long.toString(future), "req-1", futureSignature, body));
        long edge = NOW - 29_000;
        String edgeSignature = signer.sign("POST", "/query", edge, "req-1", body);
        assertDoesNotThrow(() -> verifier.verify("POST", "/query", Long.toString(edge), "req-1", edgeSignature, body));
    }

    @Test
    void refusesMissingOrMalformedHeaders() {
        HopVerifier verifier = verifier();
        String signature = signer.sign("POST", "/query", NOW, "req-1", body);
        assertThrows(HopRejectedException.class, () -> verifier.verify("POST", "/query", null, "req-1", signature, body));
        assertThrows(HopRejectedException.class, () -> verifier.verify("POST", "/query", Long.toString(NOW), "req-1", null, body));
        assertThrows(HopRejectedException.class, () -> verifier.verify("POST", "/query", "yesterday", "req-1", signature, body));
        assertThrows(HopRejectedException.class, () -> verifier.verify("POST", "/query", Long.toString(NOW), null, signature, body));
        assertThrows(HopRejectedException.class, () -> verifier.verify("POST", "/query", Long.toString(NOW), "req-1", "not base64 !", body));
    }

    @Test
    void refusesShortSecrets() {
        assertThrows(IllegalArgumentException.class, () -> new HopSigner("short"));
    }

    @Test
    void takesThePreviousSecretWhileARotationConfiguresIt() {
        String previous = "the-previous-secret-of-enough-length";
        HopVerifier rotating = new HopVerifier(SECRET, previous, clock, Duration.ofSeconds(30));
        String old = new HopSigner(previous).sign("POST", "/query", NOW, "req-old", body);
        String current = signer.sign("POST", "/query", NOW, "req-new", body);
        assertEquals(HopVerifier.Secret.PREVIOUS, rotating.verifiedWith("POST", "/query", Long.toString(NOW), "req-old", old, body));
        assertEquals(HopVerifier.Secret.CURRENT, rotating.verifiedWith("POST", "/query", Long.toString(NOW), "req-new", current, body));
        // The previous secret's signatures are checked as strictly: once only, and over every signed part.
        assertThrows(HopRejectedException.class, () -> rotating.verify("POST", "/query", Long.toString(NOW), "req-old", old, body));
        String other = new HopSigner(previous).sign("POST", "/query", NOW, "req-other", body);
        assertThrows(HopRejectedException.class, () -> rotating.verify("POST", "/fetch_direct", Long.toString(NOW), "req-other", other, body));
    }

    @Test
    void refusesThePreviousSecretOnceItIsRemoved() {
        String previous = "the-previous-secret-of-enough-length";
        String old = new HopSigner(previous).sign("POST", "/query", NOW, "req-old", body);
        HopRejectedException refused = assertThrows(HopRejectedException.class,
                () -> verifier().verify("POST", "/query", Long.toString(NOW), "req-old", old, body));
        assertTrue(refused.getMessage().contains("does not match"));
        assertThrows(HopRejectedException.class, () -> new HopVerifier(SECRET, null, clock, Duration.ofSeconds(30))
                .verify("POST", "/query", Long.toString(NOW), "req-old", old, body));
    }

    @Test
    void thePreviousSecretHasTheSameMinimumLength() {
        String tooShort = "x".repeat(HopSigner.MIN_SECRET_BYTES - 1);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new HopVerifier(SECRET, tooShort, clock, Duration.ofSeconds(30)));
        assertTrue(refused.getMessage().contains("at least " + HopSigner.MIN_SECRET_BYTES + " bytes"));
        assertDoesNotThrow(() -> new HopVerifier(SECRET, "x".repeat(HopSigner.MIN_SECRET_BYTES), clock, Duration.ofSeconds(30)));
    }
}
