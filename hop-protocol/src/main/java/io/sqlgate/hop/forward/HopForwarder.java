package io.sqlgate.hop.forward;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import io.sqlgate.hop.http.ApiException;
import io.sqlgate.hop.signing.OutboundHop;
import io.sqlgate.hop.wire.HopHeaders;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Signs a request for the next tier, sends it without blocking, and relays the answer: the next tier's own
 * answers (successes and refusals alike) pass through unchanged with their routing headers; a next tier that
 * cannot be reached or does not answer in time becomes a 502 or 504 of this tier.
 */
public final class HopForwarder {
    private static final List<String> RELAYED_HEADERS = List.of(HopHeaders.SERVED_BY, HopHeaders.STRATEGY,
            HopHeaders.FALLBACK, HopHeaders.TRUNCATED, HttpHeaders.RETRY_AFTER);

    private final NextTierOperations next;
    private final OutboundHop signer;
    private final String nextTierName;

    public HopForwarder(NextTierOperations next, OutboundHop signer, String nextTierName) {
        this.next = next;
        this.signer = signer;
        this.nextTierName = nextTierName;
    }

    /** @param route the route without its leading slash, e.g. {@code query} */
    public CompletableFuture<HttpResponse<?>> forward(String route, byte[] body, String requestId) {
        OutboundHop.Signature signature = signer.sign("POST", "/" + route, requestId, body);
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = next.post(route, body, requestId, signature.timestamp(), signature.value());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.<HttpResponse<?>>thenApply(this::relay).exceptionally(this::relayFailure);
    }

    private HttpResponse<?> relay(HttpResponse<byte[]> upstream) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(upstream.getStatus())
                .contentType(MediaType.APPLICATION_JSON_TYPE);
        upstream.getBody().ifPresent(response::body);
        for (String header : RELAYED_HEADERS) {
            String value = upstream.getHeaders().get(header);
            if (value != null) {
                response.header(header, value);
            }
        }
        return response;
    }

    private HttpResponse<?> relayFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpClientResponseException refused) {
            @SuppressWarnings("unchecked")
            HttpResponse<byte[]> upstream = (HttpResponse<byte[]>) refused.getResponse();
            if (upstream.getBody(byte[].class).isPresent()) {
                return relay(HttpResponse.<byte[]>status(upstream.getStatus()).body(upstream.getBody(byte[].class).get())
                        .headers(headers -> upstream.getHeaders().forEach((name, values) -> values.forEach(v -> headers.add(name, v)))));
            }
            throw new ApiException(HttpStatus.BAD_GATEWAY, "UPSTREAM_ERROR",
                    "The " + nextTierName + " answered " + upstream.code() + " without a body");
        }
        if (cause instanceof ReadTimeoutException) {
            throw new ApiException(HttpStatus.GATEWAY_TIMEOUT, "UPSTREAM_TIMEOUT", "The " + nextTierName + " did not answer in time");
        }
        throw new ApiException(HttpStatus.BAD_GATEWAY, "UPSTREAM_UNAVAILABLE",
                "The " + nextTierName + " could not be reached: " + describe(cause));
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
