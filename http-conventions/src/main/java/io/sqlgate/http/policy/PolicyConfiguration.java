package io.sqlgate.http.policy;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

import java.util.List;

/**
 * What statements may touch ({@code sqlgate.policy.*}), read by every tier from its own configuration, so that
 * each decides for itself (environment: {@code SQLGATE_POLICY_DATABASE}, {@code SQLGATE_POLICY_ALLOWED_TABLES}).
 *
 * @param database      the one database the allowed tables live in
 * @param allowedTables tables a statement may touch, bare or qualified with {@code database}
 */
@ConfigurationProperties("sqlgate.policy")
public record PolicyConfiguration(@Bindable(defaultValue = "main_db") @NotBlank String database,
                                  @Bindable(defaultValue = "direct_table,random_table,customized_table") @NotEmpty List<String> allowedTables) {
}
