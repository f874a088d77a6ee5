package io.sqlgate.proxy.health;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PoolSaturationTest {

    @Test
    void exhaustionCountsFromItsFirstSampleAndEndsAtTheFirstFreeConnection() {
        PoolSaturation saturation = new PoolSaturation();
        assertEquals(0, saturation.exhaustedFor("node1", 100));
        saturation.observe("node1", true, 1_000);
        saturation.observe("node1", true, 5_000);
        assertEquals(9_000, saturation.exhaustedFor("node1", 10_000));
        assertEquals(0, saturation.exhaustedFor("node2", 10_000));
        saturation.observe("node1", false, 11_000);
        assertEquals(0, saturation.exhaustedFor("node1", 12_000));
        saturation.observe("node1", true, 20_000);
        assertEquals(1_000, saturation.exhaustedFor("node1", 21_000));
    }
}
