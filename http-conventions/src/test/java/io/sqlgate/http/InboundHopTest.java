package io.sqlgate.http;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.sqlgate.hop.signing.HopSigner;
import io.sqlgate.hop.wire.HopHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rotation of a hop's secret as a receiving tier sees it: while {@code hop.verify-secret-previous} holds the old
 * secret, requests signed with the old and with the new secret both get through (and the old ones are counted);
 * once it is removed, the old secret's signatures are 401 {@code HOP_SIGNATURE_INVALID} again.
 */
class InboundHopTest {
    private static final String OLD = "the-old-hop-secret-of-enough-length";
    private static final String NEW = "the-new-hop-secret-of-enough-length";
    private static final byte[] BODY = "{\"sql\":\"SELECT 1\"}".getBytes(StandardCharsets.UTF_8);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** A request signed as a sending tier signs it, with {@code secret}. */
    private static HttpRequest<?> signedWith(String secret, String requestId) {
        OutboundHop.Signature signature = new OutboundHop(new HopConfiguration(secret, null, null)).sign("POST", "/query", requestId, BODY);
        return HttpRequest.POST("/query", BODY).header(HopHeaders.TIMESTAMP, signature.timestamp())
                .header(HopHeaders.SIGNATURE, signature.value()).header(HopHeaders.REQUEST_ID, requestId);
    }

    private double previousSecretVerifications() {
        return meters.get("sqlgate.hop.previous_secret_verifications").counter().count();
    }

    @Test
    void duringARotationTheOldAndTheNewSecretBothVerify() {
        InboundHop receiver = new InboundHop(new HopConfiguration(null, NEW, OLD), meters);
        assertDoesNotThrow(() -> receiver.verify(signedWith(OLD, "req-1"), BODY));
        assertDoesNotThrow(() -> receiver.verify(signedWith(NEW, "req-2"), BODY));
        assertEquals(1.0, previousSecretVerifications(), "one request came signed with the previous secret");
    }

    @Test
    void onceThePreviousSecretIsRemovedTheOldSignaturesAreRefused() {
        for (String previous : new String[] {null, "", "   "}) {
            InboundHop receiver = new InboundHop(new HopConfiguration(null, NEW, previous), meters);
            ApiException refused = assertThrows(ApiException.class, () -> receiver.verify(signedWith(OLD, "req-old"), BODY));
            assertEquals(401, refused.status());
            assertEquals("HOP_SIGNATURE_INVALID", refused.code());
            assertDoesNotThrow(() -> receiver.verify(signedWith(NEW, "req-new-" + previous), BODY));
        }
        assertEquals(0.0, previousSecretVerifications());
    }

    @Test
    void aPreviousSecretShorterThanAnyHopSecretStopsTheTier() {
        String tooShort = "x".repeat(HopSigner.MIN_SECRET_BYTES - 1);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new InboundHop(new HopConfiguration(null, NEW, tooShort), meters));
        assertTrue(refused.getMessage().contains("at least " + HopSigner.MIN_SECRET_BYTES + " bytes"), refused.getMessage());
    }

    @Test
    void thePreviousSecretIsReadFromHopVerifySecretPrevious() {
        try (ApplicationContext context = ApplicationContext.run(Map.<String, Object>of("hop.verify-secret", NEW, "hop.verify-secret-previous", OLD))) {
            assertEquals(OLD, context.getBean(HopConfiguration.class).previousVerifySecret());
        }
        try (ApplicationContext context = ApplicationContext.run(Map.<String, Object>of("hop.verify-secret", NEW))) {
            assertNull(context.getBean(HopConfiguration.class).previousVerifySecret());
        }
    }
}
