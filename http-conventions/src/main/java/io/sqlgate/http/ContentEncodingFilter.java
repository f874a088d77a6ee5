package io.sqlgate.http;

import io.sqlgate.hop.Texts;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.Map;

/**
 * Refuses a request body in any content coding but {@code identity}: 415 {@code ENCODING_UNSUPPORTED}, before
 * routing and before anything reads the body. Clients send small JSON, so nothing is gained by accepting gzip,
 * and a compressed body is a way to make a tier inflate far more than it received.
 * <p>
 * This only works because each tier turns the server's own request decompression off
 * ({@code micronaut.server.netty.request-decompression-enabled: false} in its application.yml): with it on,
 * the server inflates gzip, deflate, br and snappy bodies as they arrive and removes the header, so no filter
 * could see or stop it.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class ContentEncodingFilter implements Ordered {
    static final String IDENTITY = "identity";

    @Override
    public int getOrder() {
        // Right after AccessLogFilter, so that the refusal has its request id and is logged.
        return HIGHEST_PRECEDENCE + 1;
    }

    @RequestFilter
    public void onRequest(HttpRequest<?> request) {
        for (String header : request.getHeaders().getAll(HttpHeaders.CONTENT_ENCODING)) {
            for (String coding : header.split(",", -1)) {
                String name = coding.trim();
                if (!name.equalsIgnoreCase(IDENTITY)) {
                    throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "ENCODING_UNSUPPORTED",
                            "Content-Encoding \"" + Texts.clip(name, 40) + "\" is not accepted; send the body unencoded "
                                    + "(no Content-Encoding, or identity)",
                            Map.of(HttpHeaders.ACCEPT_ENCODING, IDENTITY));
                }
            }
        }
    }

}
