package io.sqlgate.hop.sql;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded cache in two generations: entries go into the young map; when it is full it becomes the old map
 * and the previous old map is dropped whole. A hit in the old map is promoted, so entries in use survive and
 * entries not used for a generation go. It holds at most {@code 2 * (capacity / 2)} entries, never blocks
 * readers, and costs one or two hash lookups per hit.
 */
final class VerdictCache<K, V> {
    private final int generationSize;
    private volatile ConcurrentHashMap<K, V> young;
    private volatile ConcurrentHashMap<K, V> old;

    VerdictCache(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2");
        }
        this.generationSize = capacity / 2;
        this.young = new ConcurrentHashMap<>(generationSize * 2);
        this.old = new ConcurrentHashMap<>(1);
    }

    V get(K key) {
        V value = young.get(key);
        if (value != null) {
            return value;
        }
        value = old.get(key);
        if (value != null) {
            put(key, value);
        }
        return value;
    }

    void put(K key, V value) {
        ConcurrentHashMap<K, V> current = young;
        if (current.size() >= generationSize) {
            synchronized (this) {
                if (young == current) {
                    old = current;
                    young = new ConcurrentHashMap<>(generationSize * 2);
                }
                current = young;
            }
        }
        current.put(key, value);
    }

    int size() {
        return young.size() + old.size();
    }
}
