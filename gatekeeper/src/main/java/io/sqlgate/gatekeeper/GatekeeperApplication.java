package io.sqlgate.gatekeeper;

import io.micronaut.runtime.Micronaut;

public final class GatekeeperApplication {
    private GatekeeperApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(GatekeeperApplication.class).banner(false).start();
    }
}
