package io.sqlgate.hop.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.sqlgate.hop.sql.SqlRejectedException;
import io.sqlgate.hop.wire.ErrorBody;
import jakarta.inject.Singleton;

/** A statement the parser refused (missing, unparseable, several at once) is the client's error: 400. */
@Singleton
public final class SqlRejectedHandler implements ExceptionHandler<SqlRejectedException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, SqlRejectedException exception) {
        return HttpResponse.badRequest(new ErrorBody(exception.getMessage(), exception.code(), RequestIds.of(request)));
    }
}
