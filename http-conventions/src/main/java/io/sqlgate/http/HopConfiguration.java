package io.sqlgate.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The secrets of the hops a tier takes part in (environment: {@code HOP_SIGN_SECRET}, {@code HOP_VERIFY_SECRET}).
 *
 * @param signSecret   signs requests this tier sends to the next tier
 * @param verifySecret checks requests this tier receives from the previous tier
 */
@ConfigurationProperties(HopConfiguration.PREFIX)
public record HopConfiguration(@Nullable String signSecret, @Nullable String verifySecret) {
    public static final String PREFIX = "hop";
}
