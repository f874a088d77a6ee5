package io.sqlgate.testkit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessStatsTest {

    @Test
    void readsItsOwnProcess() throws Exception {
        ProcessStats.Sample self = ProcessStats.of(ProcessHandle.current().pid());
        assertTrue(self.rssKib() > 10_000, self.toString());
        assertTrue(self.peakRssKib() >= self.rssKib(), self.toString());
        assertTrue(self.fds() > 3 && self.threads() > 1, self.toString());
    }

    @Test
    void aProcessThatIsGoneIsAnIOException() {
        assertThrows(java.io.IOException.class, () -> ProcessStats.of(Long.MAX_VALUE));
    }
}
