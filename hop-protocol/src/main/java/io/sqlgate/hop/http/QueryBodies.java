package io.sqlgate.hop.http;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.sqlgate.hop.wire.QueryRequest;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.List;

/**
 * Reads a request body into a {@link QueryRequest}, refusing what is not one with a 400 that says why:
 * parameters must be scalars (strings, numbers, booleans, null), at most 1000 of them.
 */
@Singleton
public final class QueryBodies {
    private static final Argument<QueryRequest> TYPE = Argument.of(QueryRequest.class);
    private static final int MAX_PARAMS = 1000;
    private final JsonMapper json;

    public QueryBodies(JsonMapper json) {
        this.json = json;
    }

    public QueryRequest read(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("BODY_MISSING", "The request has no body; send {\"sql\": \"...\"}");
        }
        QueryRequest request;
        try {
            request = json.readValue(body, TYPE);
        } catch (IOException | RuntimeException e) {
            throw ApiException.badRequest("BODY_INVALID", "The body is not a JSON object of the expected shape "
                    + "({\"sql\": string, \"params\": array, \"strategy\": string}): " + firstLine(e.getMessage()));
        }
        if (request == null) {
            throw ApiException.badRequest("BODY_INVALID", "The body is JSON null; send {\"sql\": \"...\"}");
        }
        List<Object> params = request.paramsOrEmpty();
        if (params.size() > MAX_PARAMS) {
            throw ApiException.badRequest("PARAMS_INVALID", "At most " + MAX_PARAMS + " parameters are accepted; got " + params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            Object value = params.get(i);
            if (!(value == null || value instanceof String || value instanceof Number || value instanceof Boolean)) {
                throw ApiException.badRequest("PARAMS_INVALID", "Parameter " + (i + 1)
                        + " is an array or object; only strings, numbers, booleans and null can be bound");
            }
        }
        return request;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse("unreadable");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
