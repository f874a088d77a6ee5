package io.sqlgate.hop.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.sqlgate.hop.wire.ErrorBody;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Answers every {@link ApiException} with its status, headers and an {@link ErrorBody}. A 500 is this tier's own
 * failure, not the client's: it is also logged, with its code and message, for the operator.
 */
@Singleton
public final class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ErrorBody>> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, ApiException exception) {
        if (exception.status().getCode() == 500) {
            LOG.warn("answered 500 {}: {}", exception.code(), exception.getMessage(), kv("requestId", RequestIds.of(request)));
        }
        MutableHttpResponse<ErrorBody> response = HttpResponse.<ErrorBody>status(exception.status())
                .body(new ErrorBody(exception.getMessage(), exception.code(), RequestIds.of(request)));
        exception.headers().forEach(response::header);
        return response;
    }
}
