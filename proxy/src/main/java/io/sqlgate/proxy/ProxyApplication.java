package io.sqlgate.proxy;

import io.micronaut.runtime.Micronaut;

public final class ProxyApplication {
    private ProxyApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(ProxyApplication.class).banner(false).start();
    }
}
