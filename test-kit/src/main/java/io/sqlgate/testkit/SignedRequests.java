package io.sqlgate.testkit;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.sqlgate.http.RequestIds;
import io.sqlgate.hop.signing.HopSigner;
import io.sqlgate.hop.wire.HopHeaders;

import java.nio.charset.StandardCharsets;

/**
 * Builds requests signed as the previous tier would sign them, for tests that call a tier directly: a JSON object
 * body gets the key name and role the gatekeeper signs into every request ({@code "it"}, a writer, unless
 * {@link #as} says otherwise), as its first fields.
 */
public final class SignedRequests {
    private final HopSigner signer;
    private final String key;
    private final String role;

    public SignedRequests(String secret) {
        this(secret, "it", "writer");
    }

    private SignedRequests(String secret, String key, String role) {
        this.signer = new HopSigner(secret);
        this.key = key;
        this.role = role;
    }

    /** Requests for another key, or with no key and role at all (nulls). */
    public SignedRequests as(String secret, String key, String role) {
        return new SignedRequests(secret, key, role);
    }

    public MutableHttpRequest<byte[]> post(String path, String json) {
        return post(path, json, RequestIds.next(), System.currentTimeMillis());
    }

    public MutableHttpRequest<byte[]> post(String path, String json, String requestId, long timestampMillis) {
        byte[] body = withKey(json).getBytes(StandardCharsets.UTF_8);
        return HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HopHeaders.REQUEST_ID, requestId)
                .header(HopHeaders.TIMESTAMP, Long.toString(timestampMillis))
                .header(HopHeaders.SIGNATURE, signer.sign("POST", path, timestampMillis, requestId, body));
    }

    private String withKey(String json) {
        if (key == null || !json.startsWith("{")) {
            return json;
        }
        String fields = "\"key\": \"" + key + "\", \"role\": \"" + role + "\"";
        String rest = json.substring(1);
        return "{" + fields + (rest.trim().startsWith("}") ? "" : ", ") + rest;
    }
}
