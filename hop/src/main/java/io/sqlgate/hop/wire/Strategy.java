package io.sqlgate.hop.wire;

import io.sqlgate.hop.Texts;
import io.sqlgate.hop.Refusal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a read picks its node. Names are parsed strictly: an unknown one is refused with the valid names. */
public enum Strategy {
    /** The writer the proxy's monitor elected. */
    DIRECT,
    /** A uniformly random healthy read node. */
    RANDOM,
    /** The healthy read node with the lowest smoothed latency. */
    CUSTOMIZED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code null} means the default, direct. */
    public static Strategy parse(String name) {
        if (name == null) {
            return DIRECT;
        }
        for (Strategy strategy : values()) {
            if (strategy.wireName().equals(name)) {
                return strategy;
            }
        }
        throw Refusal.invalid("STRATEGY_UNKNOWN", "Unknown strategy '" + Texts.clip(name, 40) + "'; valid: "
                + Arrays.stream(values()).map(Strategy::wireName).collect(Collectors.joining(", ")));
    }
}
