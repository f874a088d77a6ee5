package io.sqlgate.http;

import io.micronaut.buffer.netty.NettyByteBufferFactory;
import io.micronaut.http.ByteBodyHttpResponse;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.HttpVersion;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.body.CloseableAvailableByteBody;
import io.micronaut.http.body.stream.AvailableByteArrayBody;
import io.micronaut.http.client.HttpVersionSelection;
import io.micronaut.http.client.RawHttpClient;
import io.micronaut.http.client.RawHttpClientRegistry;
import io.micronaut.http.client.ServiceHttpClientConfiguration;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.exceptions.ContentLengthExceededException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import io.micronaut.http.reactive.execution.ReactiveExecutionFlow;
import io.sqlgate.hop.wire.HopHeaders;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Signs a request for the next tier, sends it without blocking, and relays the answer: the next tier's own
 * answers (successes and refusals alike) pass through unchanged with their routing headers; a next tier that
 * cannot be reached or does not answer in time becomes a 502 or 504 of this tier.
 * <p>
 * It uses Micronaut's raw client: the body goes out as the bytes that were signed and comes back as bytes,
 * with none of the declarative client's per-request work (argument binding, URI templates, codecs), which
 * profiling showed to be a third of a forwarding tier's CPU. The next tier's URL, timeouts and connection pool
 * are those of the service {@code micronaut.http.services.<serviceId>}.
 */
public final class HopForwarder {
    private static final List<String> RELAYED_HEADERS = List.of(HopHeaders.SERVED_BY, HopHeaders.STRATEGY,
            HopHeaders.FALLBACK, HopHeaders.TRUNCATED, HttpHeaders.RETRY_AFTER);

    private final RawHttpClient next;
    private final String baseUrl;
    private final OutboundHop signer;
    private final String nextTierName;

    /** @param service the next tier's {@code micronaut.http.services.<id>} configuration; it must have a URL */
    public HopForwarder(RawHttpClientRegistry clients, ServiceHttpClientConfiguration service, OutboundHop signer,
                        String nextTierName) {
        if (service.getUrls().isEmpty()) {
            throw new IllegalStateException("micronaut.http.services." + service.getServiceId() + ".url is not set: the "
                    + nextTierName + " cannot be reached");
        }
        this.next = clients.getRawClient(HttpVersionSelection.forLegacyVersion(HttpVersion.HTTP_1_1),
                service.getServiceId(), null);
        // The raw client takes absolute URLs only; one next tier per service, so the first URL is the one.
        this.baseUrl = service.getUrls().get(0).toString().replaceAll("/+$", "");
        this.signer = signer;
        this.nextTierName = nextTierName;
    }

    /** @param route the route without its leading slash, e.g. {@code query} */
    public CompletableFuture<HttpResponse<?>> forward(String route, byte[] body, String requestId) {
        String path = "/" + route;
        OutboundHop.Signature signature = signer.sign("POST", path, requestId, body);
        MutableHttpRequest<?> request = HttpRequest.POST(baseUrl + path, null)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HopHeaders.REQUEST_ID, requestId)
                .header(HopHeaders.TIMESTAMP, signature.timestamp())
                .header(HopHeaders.SIGNATURE, signature.value());
        CompletableFuture<? extends HttpResponse<?>> sent;
        try {
            AvailableByteArrayBody bytes = AvailableByteArrayBody.create(NettyByteBufferFactory.DEFAULT, body);
            sent = ReactiveExecutionFlow.fromPublisher(next.exchange(request, bytes, null)).toCompletableFuture();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.thenCompose(this::readBody).exceptionally(this::relayFailure);
    }

    private CompletableFuture<HttpResponse<?>> readBody(HttpResponse<?> upstream) {
        if (!(upstream instanceof ByteBodyHttpResponse<?> raw)) {
            return CompletableFuture.completedFuture(relay(upstream, upstream.getBody(byte[].class).orElse(null)));
        }
        return raw.byteBody().buffer().handle((body, failure) -> {
            try (raw; CloseableAvailableByteBody bytes = body) {
                if (failure != null) {
                    throw new CompletionException(failure);
                }
                return relay(upstream, bytes.toByteArray());
            }
        });
    }

    private HttpResponse<?> relay(HttpResponse<?> upstream, byte[] body) {
        if (body == null || body.length == 0) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "UPSTREAM_ERROR",
                    "The " + nextTierName + " answered " + upstream.code() + " without a body");
        }
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(upstream.getStatus())
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(body);
        for (String header : RELAYED_HEADERS) {
            String value = upstream.getHeaders().get(header);
            if (value != null) {
                response.header(header, value);
            }
        }
        return response;
    }

    private HttpResponse<?> relayFailure(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiException answer) {
            throw answer;
        }
        if (cause instanceof HttpClientResponseException refused) {
            return relay(refused.getResponse(), refused.getResponse().getBody(byte[].class).orElse(null));
        }
        if (cause instanceof ContentLengthExceededException) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "UPSTREAM_ANSWER_TOO_LARGE", "The " + nextTierName
                    + " answered more than this tier reads (its max-content-length)");
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
