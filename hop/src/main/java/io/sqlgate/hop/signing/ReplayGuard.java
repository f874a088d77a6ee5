package io.sqlgate.hop.signing;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * Remembers every signature accepted within the freshness window, so that each is accepted once.
 * <p>
 * Signatures are kept in one bucket per second of their timestamp. A bucket is reused only for a timestamp
 * {@code BUCKETS} seconds later, by which time every signature in it is stale and would be refused anyway,
 * so memory stays bounded by the request rate times the window. A signature is remembered by its first 64 bits.
 */
final class ReplayGuard {
    private static final int BUCKETS = 64;

    private final Bucket[] buckets = new Bucket[BUCKETS];

    ReplayGuard(long windowSeconds) {
        if (2 * windowSeconds + 1 >= BUCKETS) {
            throw new IllegalArgumentException("window too large for " + BUCKETS + " buckets");
        }
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new Bucket();
        }
    }

    /** True the first time a signature is offered, false on every replay. */
    boolean firstUse(long timestampMillis, String signature) {
        long second = Math.floorDiv(timestampMillis, 1000);
        long key = ByteBuffer.wrap(Base64.getUrlDecoder().decode(signature)).getLong();
        return buckets[(int) Math.floorMod(second, BUCKETS)].add(second, key);
    }

    private static final class Bucket {
        private long second = Long.MIN_VALUE;
        private final Set<Long> keys = new HashSet<>();

        synchronized boolean add(long forSecond, long key) {
            if (second != forSecond) {
                keys.clear();
                second = forSecond;
            }
            return keys.add(key);
        }
    }
}
