package io.sqlgate.sysbench.sysbench;

import java.util.Locale;

/** The sysbench commands run on each target, in order; cleanup also runs after a failed step. */
public enum Step {
    PREPARE,
    RUN,
    CLEANUP;

    public String command() {
        return name().toLowerCase(Locale.ROOT);
    }
}
