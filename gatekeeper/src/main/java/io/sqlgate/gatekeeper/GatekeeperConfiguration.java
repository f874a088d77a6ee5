package io.sqlgate.gatekeeper;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.List;

/**
 * Who may call the gatekeeper, how often, and how long a statement may be. Defaults are in {@code application.yml};
 * what statements may touch is {@code sqlgate.policy}, read by every tier.
 *
 * @param apiKeys         {@code name:role:sha256-hex-of-the-key} entries (environment: {@code GATEKEEPER_API_KEYS},
 *                        comma-separated); the keys themselves are never stored
 * @param maxSqlLength    longest SQL text accepted, in characters
 */
@ConfigurationProperties(GatekeeperConfiguration.PREFIX)
public record GatekeeperConfiguration(@NotEmpty List<String> apiKeys, @Min(16) int maxSqlLength,
                                      @Valid @NotNull RateLimit rateLimit) {
    public static final String PREFIX = "gatekeeper";

    /**
     * A token bucket per API key.
     *
     * @param requestsPerSecond sustained rate
     * @param burst             requests that may arrive at once
     */
    @ConfigurationProperties("rate-limit")
    public record RateLimit(@Min(1) long requestsPerSecond, @Min(1) long burst) {
    }
}
