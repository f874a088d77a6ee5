package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the schema Job's script against a stand-in {@code mysql} client that answers the readiness
 * queries and records what each server is sent: the order of the work, the statements per server, and
 * the quoting of passwords that contain quotes and backslashes.
 */
class SchemaScriptTest {

    private static final String TRICKY = "pa'ss\\word\"x";

    /** Answers the script's queries; records statements sent on stdin per host, and the option file. */
    private static final String FAKE_MYSQL = """
            #!/bin/bash
            host=""; query=""; cnf=""
            while (( $# )); do
              case "$1" in
                --host=*) host=${1#--host=} ;;
                --defaults-extra-file=*) cnf=${1#--defaults-extra-file=} ;;
                -NBe|-e) query=$2; shift ;;
              esac
              shift
            done
            cp "$cnf" "$LOG_DIR/client.cnf"
            if [[ -n $query ]]; then
              case "$query" in
                *Ndb_number_of_ready_data_nodes*) printf 'Ndb_number_of_ready_data_nodes\\t%s\\n' "$READY_DATA_NODES" ;;
                *Ndb_cluster_node_id*) printf 'Ndb_cluster_node_id\\t145\\n' ;;
                *ndb_schema*|*PROCESSLIST*) echo 1 ;;
                *COUNT*) echo 3 ;;
                *) echo 1 ;;
              esac
              exit 0
            fi
            cat >> "$LOG_DIR/$host.sql"
            """;

    @TempDir
    Path work;

    @Test
    void createsTheSchemaOnceAndTheAccountsOnEveryServer() throws Exception {
        Result result = runSchemaScript(1, 60);
        assertEquals(0, result.exitCode(), result.output());

        String primary = read("ndb-sql-0.ndb-sql.sql");
        String secondary = read("ndb-sql-1.ndb-sql.sql");
        String standalone = read("mysql-standalone.sql");
        String schema = Files.readString(Variant.manifestsDir().resolve("base/config/schema/main-db.sql"));

        assertTrue(primary.startsWith(schema), "main_db is created through the first SQL node, first");
        String audit = Files.readString(Variant.manifestsDir().resolve("base/config/schema/sqlgate-audit.sql"));
        assertTrue(primary.startsWith(schema + audit), "then the audit ledger, sqlgate_audit");
        assertFalse(secondary.contains("sqlgate_audit.write_entry"), "NDB distributes the ledger's table too");
        assertFalse(secondary.contains("CREATE TABLE"), "NDB distributes the tables to the other SQL nodes");
        for (String node : new String[] {primary, secondary}) {
            assertTrue(node.contains("CREATE USER IF NOT EXISTS 'sqlgate_app'@'%' IDENTIFIED BY 'pa''ss\\\\word\"x' REQUIRE SSL;"), node);
            assertTrue(node.contains("GRANT SELECT, INSERT, UPDATE, DELETE ON main_db.* TO 'sqlgate_app'@'%';"), node);
            assertTrue(node.contains("GRANT SELECT, INSERT ON sqlgate_audit.* TO 'sqlgate_app'@'%';"), node);
            assertTrue(node.contains("CREATE USER IF NOT EXISTS 'sqlgate_monitor'@'%' IDENTIFIED BY 'monitor-secret' REQUIRE SSL;"), node);
            assertTrue(node.contains("GRANT ALL PRIVILEGES ON sbtest.* TO 'sqlgate_bench'@'%';"), node);
            assertTrue(node.contains("IDENTIFIED BY 'bench-ndb'"), node);
        }
        assertTrue(primary.contains("DROP EVENT IF EXISTS sqlgate_audit.retention;\nCREATE EVENT sqlgate_audit.retention ON SCHEDULE EVERY 1 MINUTE"
                + " COMMENT 'sqlgate: audit entries are kept 90 days' DO DELETE FROM sqlgate_audit.write_entry"
                + " WHERE recorded_at < UTC_TIMESTAMP(6) - INTERVAL 90 DAY ORDER BY recorded_at LIMIT 5000;"), primary);
        assertFalse(secondary.contains("EVENT"), "the retention runs on the first SQL node only");
        assertFalse(standalone.contains("sqlgate_app"), "the standalone server serves only the benchmark");
        assertTrue(standalone.contains("CREATE DATABASE IF NOT EXISTS sbtest;"), standalone);
        assertTrue(standalone.contains("IDENTIFIED BY 'bench-standalone'"), standalone);

        String cnf = read("client.cnf");
        assertTrue(cnf.contains("password=\"pa'ss\\\\word\\\"x\""), cnf);
        assertTrue(cnf.contains("ssl-mode=REQUIRED"), cnf);
    }

    @Test
    void aRetentionOfZeroDaysKeepsEveryEntryAndOneThatIsNoNumberIsRefusedBeforeAnything() throws Exception {
        Result keep = runSchemaScript(1, 60, "0");
        assertEquals(0, keep.exitCode(), keep.output());
        String primary = read("ndb-sql-0.ndb-sql.sql");
        assertTrue(primary.contains("DROP EVENT IF EXISTS sqlgate_audit.retention;"), "an earlier retention is dropped");
        assertFalse(primary.contains("CREATE EVENT"), primary);

        Files.delete(work.resolve("ndb-sql-0.ndb-sql.sql"));
        Result refused = runSchemaScript(1, 60, "90d");
        assertEquals(2, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("AUDIT_RETENTION_DAYS must be a whole number of days"), refused.output());
        assertFalse(Files.exists(work.resolve("ndb-sql-0.ndb-sql.sql")), "nothing was created");
    }

    @Test
    void theRetentionIsTheLocalClustersOwnStatement() throws IOException {
        String job = retentionFunction(Files.readString(Variant.manifestsDir().resolve("base/config/schema/schema.sh")));
        String local = retentionFunction(Files.readString(Variant.manifestsDir().resolve("../bin/local-cluster")));
        assertEquals(local, job);
    }

    /** The body of the script's audit_retention_sql function. */
    private static String retentionFunction(String script) {
        int start = script.indexOf("audit_retention_sql() {");
        assertTrue(start >= 0, "no audit_retention_sql function");
        return script.substring(start, script.indexOf("\n}\n", start));
    }

    @Test
    void givesUpWhenTheClusterDoesNotComeUpInTime() throws Exception {
        Result result = runSchemaScript(0, 1);
        assertNotEquals(0, result.exitCode());
        assertTrue(result.output().contains("gave up waiting for SQL node ndb-sql-0.ndb-sql"), result.output());
        assertFalse(Files.exists(work.resolve("ndb-sql-0.ndb-sql.sql")), "nothing was created");
    }

    private Result runSchemaScript(int readyDataNodes, int waitSeconds) throws IOException, InterruptedException {
        return runSchemaScript(readyDataNodes, waitSeconds, "90");
    }

    private Result runSchemaScript(int readyDataNodes, int waitSeconds, String retentionDays) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path fake = bin.resolve("mysql");
        Files.writeString(fake, FAKE_MYSQL);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = Variant.manifestsDir().resolve("base/config/schema");

        ProcessBuilder builder = new ProcessBuilder("bash", config.resolve("schema.sh").toString())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("LOG_DIR", work.toString());
        env.put("READY_DATA_NODES", String.valueOf(readyDataNodes));
        env.put("SCHEMA_SQL", config.resolve("main-db.sql").toString());
        env.putAll(Map.of(
                "SQL_NODES", "ndb-sql-0.ndb-sql ndb-sql-1.ndb-sql",
                "STANDALONE_HOST", "mysql-standalone",
                "WAIT_SECONDS", String.valueOf(waitSeconds),
                "ADMIN_USERNAME", "sqlgate_admin",
                "ADMIN_PASSWORD", TRICKY,
                "APP_USERNAME", "sqlgate_app",
                "APP_PASSWORD", TRICKY,
                "MONITOR_USERNAME", "sqlgate_monitor",
                "MONITOR_PASSWORD", "monitor-secret",
                "BENCH_USERNAME", "sqlgate_bench"));
        env.put("BENCH_NDB_PASSWORD", "bench-ndb");
        env.put("BENCH_STANDALONE_PASSWORD", "bench-standalone");
        env.put("AUDIT_RETENTION_DAYS", retentionDays);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("schema.sh did not finish");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private String read(String file) throws IOException {
        return Files.readString(work.resolve(file));
    }

    private record Result(int exitCode, String output) {
    }
}
