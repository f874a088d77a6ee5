package io.sqlgate.proxy.nodes;

/** A node either takes the writes (exactly one primary) or serves reads. */
public enum NodeRole {
    PRIMARY, READ
}
