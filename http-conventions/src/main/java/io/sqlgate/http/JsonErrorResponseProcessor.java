package io.sqlgate.http;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.sqlgate.hop.wire.ErrorBody;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * Errors the framework raises itself (unknown route, wrong method, oversized body, wrong content type,
 * unreadable body, an unexpected exception) in the same {@link ErrorBody} shape as the tiers' own refusals.
 */
@Singleton
public final class JsonErrorResponseProcessor implements ErrorResponseProcessor<ErrorBody> {

    @Override
    public MutableHttpResponse<ErrorBody> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        String message = status.getCode() >= 500
                ? "Internal error; the request id identifies it in the logs"
                : context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        if (message.isBlank()) {
            message = status.getReason();
        }
        ErrorBody body = new ErrorBody(message, codeOf(status), RequestIds.of(context.getRequest()));
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }

    static String codeOf(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "BAD_REQUEST";
            case UNAUTHORIZED -> "UNAUTHORIZED";
            case FORBIDDEN -> "FORBIDDEN";
            case NOT_FOUND -> "NOT_FOUND";
            case METHOD_NOT_ALLOWED -> "METHOD_NOT_ALLOWED";
            case NOT_ACCEPTABLE -> "NOT_ACCEPTABLE";
            case REQUEST_ENTITY_TOO_LARGE -> "BODY_TOO_LARGE";
            case UNSUPPORTED_MEDIA_TYPE -> "UNSUPPORTED_MEDIA_TYPE";
            default -> status.getCode() >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
        };
    }
}
