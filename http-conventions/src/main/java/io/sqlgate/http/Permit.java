package io.sqlgate.http;

import java.util.concurrent.atomic.AtomicBoolean;

/** A place taken under a concurrency limit; closing it, once or more, gives the place back once. */
public interface Permit extends AutoCloseable {
    @Override
    void close();

    /** @param release what gives the place back; it runs on the first close only */
    static Permit of(Runnable release) {
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                release.run();
            }
        };
    }
}
