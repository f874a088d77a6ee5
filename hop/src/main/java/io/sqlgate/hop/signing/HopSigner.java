package io.sqlgate.hop.signing;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * HMAC-SHA256 over one hop's request: method, path, timestamp, request id and the SHA-256 of the body.
 * Both ends of a hop build the same canonical text, so a change to any of them breaks the signature.
 */
public final class HopSigner {
    /** Secrets shorter than this are refused at start-up: an HMAC key is only as strong as its secret. */
    public static final int MIN_SECRET_BYTES = 16;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;
    private final ThreadLocal<MessageDigest> digests = ThreadLocal.withInitial(HopSigner::sha256);

    public HopSigner(String secret) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("A hop secret must be at least " + MIN_SECRET_BYTES + " bytes long");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The signature of a request, URL-safe Base64 without padding. */
    public String sign(String method, String path, long timestampMillis, String requestId, byte[] body) {
        String bodyDigest = HexFormat.of().formatHex(digests.get().digest(body == null ? new byte[0] : body));
        String canonical = method.toUpperCase() + '\n' + path + '\n' + timestampMillis + '\n' + requestId + '\n' + bodyDigest;
        byte[] mac = macs.get().doFinal(canonical.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
