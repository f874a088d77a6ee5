package io.sqlgate.sysbench.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsFileTest {

    /** The file the Kubernetes Job mounts, as its manifest is written. */
    private static final String CONTRACT = """
            targets:
              - name: standalone
                hosts: [mysql-standalone]        # one or more
                port: 3306
                user: sqlgate_bench
                passwordEnv: STANDALONE_BENCH_PASSWORD
                database: sbtest
                engine: innodb
              - name: ndb-cluster
                hosts: [ndb-sql-0.ndb-sql, ndb-sql-1.ndb-sql, ndb-sql-2.ndb-sql]
                port: 3306
                user: sqlgate_bench
                passwordEnv: NDB_BENCH_PASSWORD
                database: sbtest
                engine: ndbcluster
            """;

    @Test
    void readsTheJobsTargetsFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("targets.yaml");
        Files.writeString(file, CONTRACT);

        List<Target> targets = TargetsFile.read(file);

        assertEquals(List.of(
                new Target("standalone", List.of("mysql-standalone"), List.of(3306), "sqlgate_bench",
                        "STANDALONE_BENCH_PASSWORD", "sbtest", Engine.INNODB),
                new Target("ndb-cluster", List.of("ndb-sql-0.ndb-sql", "ndb-sql-1.ndb-sql", "ndb-sql-2.ndb-sql"),
                        List.of(3306), "sqlgate_bench", "NDB_BENCH_PASSWORD", "sbtest", Engine.NDBCLUSTER)),
                targets);
        assertEquals(3, targets.get(1).endpoints().size());
    }

    @Test
    void readsSeveralPortsOfOneAddress() {
        List<Target> targets = parse("""
                targets:
                  - name: galera-all
                    hosts: [127.0.0.1]
                    ports: [3311, 3312, 3313]
                    user: sqlgate_bench
                    passwordEnv: SQLGATE_BENCH_PASSWORD
                """);
        assertEquals(List.of(3311, 3312, 3313), targets.get(0).ports());
        assertEquals("sbtest", targets.get(0).database());
        assertEquals(Engine.INNODB, targets.get(0).engine());
        assertEquals("[127.0.0.1:3311, 127.0.0.1:3312, 127.0.0.1:3313]", targets.get(0).endpoints().toString());
    }

    @Test
    void rejectsAnUnknownEngineListingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(
                one("engine: ndb")));
        assertTrue(e.getMessage().contains("unknown engine 'ndb' (valid: innodb, ndbcluster)"), e.getMessage());
        assertTrue(e.getMessage().contains("targets[0]"), e.getMessage());
    }

    @Test
    void rejectsAMisspeltKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(one("engnie: ndbcluster")));
        assertTrue(e.getMessage().contains("unknown key 'engnie'"), e.getMessage());
    }

    @Test
    void rejectsDuplicateNamesMissingFieldsAndAmbiguousPorts() {
        String twice = "targets:\n" + item("a") + item("a");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(twice)).getMessage()
                .contains("duplicate target name 'a'"));
        String noPasswordEnv = "targets:\n  - {name: a, hosts: [h], port: 1, user: u}\n";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(noPasswordEnv)).getMessage()
                .contains("'passwordEnv' is required"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(one("ports: [1, 2]"))).getMessage()
                .contains("either 'port' or 'ports'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("targets: []\n")).getMessage()
                .contains("non-empty list"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("- just a list\n")).getMessage()
                .contains("'targets'"));
        String badPort = "targets:\n  - {name: a, hosts: [h], port: http, user: u, passwordEnv: P}\n";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(badPort)).getMessage()
                .contains("must be a port number"));
    }

    private static String item(String name) {
        return "  - {name: " + name + ", hosts: [h], port: 3306, user: u, passwordEnv: P}\n";
    }

    private static String one(String extraLine) {
        return """
                targets:
                  - name: a
                    hosts: [h]
                    port: 3306
                    user: u
                    passwordEnv: P
                    %s
                """.formatted(extraLine);
    }

    private static List<Target> parse(String yaml) {
        return TargetsFile.parse(new StringReader(yaml), "test.yaml");
    }
}
