package io.sqlgate.hop.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.sqlgate.hop.wire.ErrorBody;
import jakarta.inject.Singleton;

/** Answers every {@link ApiException} with its status, headers and an {@link ErrorBody}. */
@Singleton
public final class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, ApiException exception) {
        MutableHttpResponse<ErrorBody> response = HttpResponse.<ErrorBody>status(exception.status())
                .body(new ErrorBody(exception.getMessage(), exception.code(), RequestIds.of(request)));
        exception.headers().forEach(response::header);
        return response;
    }
}
