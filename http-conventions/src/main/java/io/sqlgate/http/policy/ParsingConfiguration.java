package io.sqlgate.http.policy;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Where and how much a tier parses ({@code sqlgate.parsing.*}, the same in every tier).
 *
 * @param threads     parser threads; a statement whose digest is not known already is parsed there, never on the
 *                    event loop
 * @param queue       statements that may wait for a parser thread; beyond it 503 OVERLOADED at once
 * @param timePerKey  parser time each key may use per second, on average
 * @param burstPerKey parser time a key may use at once after it was idle (at least one parse's deadline, 1 s)
 */
@ConfigurationProperties("sqlgate.parsing")
public record ParsingConfiguration(@Bindable(defaultValue = "2") @Min(1) int threads,
                                   @Bindable(defaultValue = "64") @Min(0) int queue,
                                   @Bindable(defaultValue = "250ms") @NotNull Duration timePerKey,
                                   @Bindable(defaultValue = "2s") @NotNull Duration burstPerKey) {
}
