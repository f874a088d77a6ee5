package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema Job builds main_db out of NDB tables (never local InnoDB ones), can run any number of
 * times, and grants each account exactly what it needs; both Jobs are bounded.
 */
class SchemaJobTest {

    private static final Pattern CREATE_TABLE = Pattern.compile(
            "CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?([\\w.`]+)\\s*\\((.*)\\)\\s*(.*)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    static List<Variant> deployable() {
        return Variant.deployable();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everyMainDbTableIsAnNdbTable(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        List<String> statements = statements(manifests.configMapEntry("schema", "main-db.sql"));
        Set<String> tables = new TreeSet<>();
        for (String statement : statements) {
            String upper = statement.toUpperCase(Locale.ROOT);
            assertTrue(upper.startsWith("CREATE DATABASE IF NOT EXISTS") || upper.startsWith("CREATE TABLE IF NOT EXISTS"),
                    "only idempotent CREATE statements: " + statement);
            Matcher table = CREATE_TABLE.matcher(statement);
            if (!table.matches()) {
                continue;
            }
            String name = table.group(2).replace("`", "");
            assertTrue(name.startsWith("main_db."), "qualified with main_db: " + name);
            assertTrue(table.group(4).replaceAll("\\s", "").equalsIgnoreCase("ENGINE=NDBCLUSTER"),
                    name + " is created ENGINE=NDBCLUSTER, not " + table.group(4));
            assertEquals("id INT AUTO_INCREMENT PRIMARY KEY, column1 VARCHAR(255), column2 VARCHAR(255)",
                    table.group(3).strip().replaceAll("\\s+", " "), name + "'s columns");
            tables.add(name.substring("main_db.".length()));
        }
        Set<String> allowed = new TreeSet<>(Arrays.asList(
                manifests.configMap("sql-policy").getData().get("SQLGATE_POLICY_ALLOWED_TABLES").split(",")));
        assertEquals(Set.of("direct_table", "random_table", "customized_table"), tables);
        assertEquals(allowed, tables, "the tiers allow exactly the tables the schema creates");
    }

    /**
     * The ledger's table in Kubernetes is the proxy's own (proxy/src/main/resources/audit/schema.sql), statement for
     * statement, except that it is an NDB table, so that every SQL node holds every entry.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void theAuditLedgerIsTheProxysOwnTableAsAnNdbTable(Variant variant) throws Exception {
        List<String> deployed = statements(Manifests.of(variant).configMapEntry("schema", "sqlgate-audit.sql"));
        List<String> shipped = statements(java.nio.file.Files.readString(
                Variant.manifestsDir().resolve("../proxy/src/main/resources/audit/schema.sql")));
        assertEquals(2, deployed.size(), "the database and its one table: " + deployed);
        assertEquals(shipped.get(0), deployed.get(0));
        Matcher table = CREATE_TABLE.matcher(deployed.get(1));
        assertTrue(table.matches(), deployed.get(1));
        assertEquals("sqlgate_audit.write_entry", table.group(2));
        assertTrue(table.group(4).replaceAll("\\s", "").equalsIgnoreCase("ENGINE=NDBCLUSTER"), table.group(4));
        assertEquals(shipped.get(1), deployed.get(1).substring(0, deployed.get(1).length() - table.group(4).length()).strip(),
                "the same columns and keys as the proxy's schema");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void theAccountsGetExactlyTheirPrivilegesAndEveryCreateIsIdempotent(Variant variant) {
        String script = Manifests.of(variant).configMapEntry("schema", "schema.sh");
        List<String> sql = Arrays.stream(script.split("\n"))
                .map(String::strip)
                .filter(line -> line.matches("(?i)^(CREATE|ALTER|GRANT|REVOKE|DROP)\\b.*"))
                .toList();
        for (String line : sql) {
            if (line.toUpperCase(Locale.ROOT).startsWith("CREATE")) {
                assertTrue(line.toUpperCase(Locale.ROOT).matches("^CREATE (USER|DATABASE) IF NOT EXISTS .*"), line);
            }
            assertFalse(line.toUpperCase(Locale.ROOT).startsWith("DROP"), "nothing is dropped: " + line);
        }
        List<String> grants = sql.stream().filter(line -> line.startsWith("GRANT")).toList();
        assertEquals(List.of(
                "GRANT ALL PRIVILEGES ON sbtest.* TO ${user};",
                "GRANT SELECT, INSERT ON sqlgate_audit.* TO ${app};",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON main_db.* TO ${app};"), grants.stream().sorted().toList(),
                "the benchmark account owns sbtest, the application account reads and writes main_db rows, "
                        + "the monitoring account only logs in");
        assertTrue(sql.contains("CREATE USER IF NOT EXISTS ${app} IDENTIFIED BY $(sql_string \"$APP_PASSWORD\") REQUIRE SSL;"));
        assertTrue(sql.contains("CREATE USER IF NOT EXISTS ${monitor} IDENTIFIED BY $(sql_string \"$MONITOR_PASSWORD\") REQUIRE SSL;"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void bothJobsAreBoundedAndCleanedUp(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        for (String name : variant.benchmark() ? List.of("schema", "sysbench") : List.of("schema")) {
            Job job = manifests.named(Job.class, name);
            int waitSeconds = Integer.parseInt(manifests.configMapEntry(name, "WAIT_SECONDS"));
            assertTrue(job.getSpec().getBackoffLimit() <= 3, name + ": small backoffLimit");
            assertTrue(job.getSpec().getActiveDeadlineSeconds() > waitSeconds,
                    name + ": the deadline leaves time after the bounded wait");
            assertTrue(job.getSpec().getTtlSecondsAfterFinished() > 0, name + ": removed after it finishes");
            assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        }
    }

    /** SQL statements of a script: comments dropped, split on semicolons. */
    static List<String> statements(String sql) {
        String withoutComments = Arrays.stream(sql.split("\n"))
                .filter(line -> !line.strip().startsWith("--"))
                .collect(Collectors.joining("\n"));
        return Arrays.stream(withoutComments.split(";"))
                .map(String::strip)
                .filter(statement -> !statement.isEmpty())
                .toList();
    }
}
