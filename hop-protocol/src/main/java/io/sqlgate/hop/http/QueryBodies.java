package io.sqlgate.hop.http;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.sqlgate.hop.wire.QueryRequest;
import jakarta.inject.Singleton;

import java.io.IOException;

/** Reads a request body into a {@link QueryRequest}, refusing what is not one with a 400 that says why. */
@Singleton
public final class QueryBodies {
    private static final Argument<QueryRequest> TYPE = Argument.of(QueryRequest.class);
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
