package io.sqlgate.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The secrets of the hops a tier takes part in (environment: {@code HOP_SIGN_SECRET}, {@code HOP_VERIFY_SECRET},
 * {@code HOP_VERIFY_SECRET_PREVIOUS}). Each is at least {@code HopSigner.MIN_SECRET_BYTES} long, or the tier does not
 * start.
 *
 * @param signSecret           signs requests this tier sends to the next tier
 * @param verifySecret         checks requests this tier receives from the previous tier
 * @param verifySecretPrevious during a rotation of the previous tier's secret, the one it signed with before
 *                             {@code verifySecret}: taken as well until every sender has switched; unset (or blank)
 *                             otherwise
 */
@ConfigurationProperties(HopConfiguration.PREFIX)
public record HopConfiguration(@Nullable String signSecret, @Nullable String verifySecret, @Nullable String verifySecretPrevious) {
    public static final String PREFIX = "hop";

    /** The previous verify secret, or null when there is no rotation under way. */
    public String previousVerifySecret() {
        return verifySecretPrevious == null || verifySecretPrevious.isBlank() ? null : verifySecretPrevious;
    }
}
