package io.sqlgate.trustedhost;

import io.micronaut.runtime.Micronaut;

public final class TrustedHostApplication {
    private TrustedHostApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(TrustedHostApplication.class).banner(false).start();
    }
}
