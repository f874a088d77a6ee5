package io.sqlgate.sysbench.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetSpecTest {

    @Test
    void readsAMinimalTargetWithDefaults() {
        assertEquals(new Target("standalone", List.of("127.0.0.1"), List.of(3310), "sqlgate_bench",
                        "SQLGATE_BENCH_PASSWORD", "sbtest", Engine.INNODB),
                TargetSpec.parse("standalone=sqlgate_bench@127.0.0.1:3310"));
    }

    @Test
    void readsSeveralPortsADatabaseAndParameters() {
        Target target = TargetSpec.parse("galera-all=bench@127.0.0.1:3311,3312,3313/bench_db?passwordEnv=GALERA_PW");
        assertEquals(List.of(3311, 3312, 3313), target.ports());
        assertEquals("bench_db", target.database());
        assertEquals("GALERA_PW", target.passwordEnv());
    }

    @Test
    void readsSeveralHostsAndTheNdbEngine() {
        Target target = TargetSpec.parse("ndb=u@ndb-sql-0.ndb-sql,ndb-sql-1.ndb-sql:3306?engine=ndbcluster");
        assertEquals(List.of("ndb-sql-0.ndb-sql", "ndb-sql-1.ndb-sql"), target.hosts());
        assertEquals(Engine.NDBCLUSTER, target.engine());
        assertEquals("sbtest", target.database());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "standalone",
        "standalone=127.0.0.1:3310",
        "standalone=u@127.0.0.1",
        "standalone=u@127.0.0.1:",
        "standalone=u@127.0.0.1:3310,",
        "standalone=u@127.0.0.1:99999",
        "bad name=u@127.0.0.1:3310",
        "s=u@127.0.0.1:3310?engine=myisam",
        "s=u@127.0.0.1:3310?password=secret",
    })
    void rejectsMalformedTargets(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TargetSpec.parse(spec));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @Test
    void namesTheExpectedFormatWhenTheShapeIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TargetSpec.parse("standalone=127.0.0.1:3310"));
        assertTrue(e.getMessage().contains(TargetSpec.FORMAT), e.getMessage());
    }
}
