package io.sqlgate.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.sqlgate.hop.Refusal;
import io.sqlgate.hop.wire.ErrorBody;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Answers every {@link Refusal} (this tier's own, the SQL policy's, the wire's) with its status, an {@link ErrorBody}
 * and, for an {@link ApiException}, its headers. A 500 is this tier's own failure, not the client's: it is also
 * logged, with its code and message, for the operator.
 */
@Singleton
public final class ApiExceptionHandler implements ExceptionHandler<Refusal, HttpResponse<ErrorBody>> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, Refusal exception) {
        if (exception.status() == 500) {
            LOG.warn("answered 500 {}: {}", exception.code(), exception.getMessage(), kv("requestId", RequestIds.of(request)));
        }
        MutableHttpResponse<ErrorBody> response = HttpResponse.<ErrorBody>status(HttpStatus.valueOf(exception.status()))
                .body(new ErrorBody(exception.getMessage(), exception.code(), RequestIds.of(request)));
        if (exception instanceof ApiException withHeaders) {
            withHeaders.headers().forEach(response::header);
        }
        return response;
    }
}
