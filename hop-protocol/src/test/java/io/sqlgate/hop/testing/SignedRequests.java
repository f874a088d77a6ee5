package io.sqlgate.hop.testing;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.sqlgate.hop.http.RequestIds;
import io.sqlgate.hop.signing.HopSigner;
import io.sqlgate.hop.wire.HopHeaders;

import java.nio.charset.StandardCharsets;

/** Builds requests signed as the previous tier would sign them, for tests that call a tier directly. */
public final class SignedRequests {
    private final HopSigner signer;

    public SignedRequests(String secret) {
        this.signer = new HopSigner(secret);
    }

    public MutableHttpRequest<byte[]> post(String path, String json) {
        return post(path, json, RequestIds.next(), System.currentTimeMillis());
    }

    public MutableHttpRequest<byte[]> post(String path, String json, String requestId, long timestampMillis) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HopHeaders.REQUEST_ID, requestId)
                .header(HopHeaders.TIMESTAMP, Long.toString(timestampMillis))
                .header(HopHeaders.SIGNATURE, signer.sign("POST", path, timestampMillis, requestId, body));
    }
}
