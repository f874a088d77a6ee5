package io.sqlgate.gatekeeper.validation;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Where and how much the gatekeeper parses. Defaults are in {@code application.yml}.
 *
 * @param threads        parser threads; a statement not known already is parsed there, never on the event loop
 * @param queue          statements that may wait for a parser thread; beyond it 503 OVERLOADED at once
 * @param timePerKey     parser time each key may use per second, on average
 * @param burstPerKey    parser time a key may use at once after it was idle (at least one parse's deadline, 1 s)
 */
@ConfigurationProperties("gatekeeper.parsing")
public record ParsingConfiguration(@Min(1) int threads, @Min(0) int queue, @NotNull Duration timePerKey,
                                   @NotNull Duration burstPerKey) {
}
