package io.sqlgate.hop.wire;


/**
 * Every refusal and failure, in every tier.
 *
 * @param error     what is wrong, for a person
 * @param code      a stable machine-readable code, e.g. {@code SQL_FORBIDDEN}
 * @param requestId the request's id, as in the {@code X-Request-Id} header
 */
public record ErrorBody(String error, String code, String requestId) {
}
