package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.sqlgate.k8s.PodSandbox.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NDB pods' scripts as the pods run them (the rendered ConfigMaps, the containers' commands and
 * environment, each script's own {@code set -euo pipefail}), with stand-ins for the programs around them:
 * a {@code getent} whose answers the test scripts (the pod's DNS name unknown, then stale, then right),
 * a {@code sleep} that only counts, NDB and MySQL programs that record their arguments, and an
 * {@code ndb_mgm} and {@code mysql} with canned answers for the probes.
 */
class NdbScriptsTest {

    private static final String POD_IP = "10.42.0.7";

    /**
     * getent hosts NAME. The pod's own short name resolves at once (the kubelet writes it into /etc/hosts);
     * any other name answers, lookup after lookup, the words of $DNS_ANSWERS in turn, the last one
     * repeating: "-" is not found (exit 2, as getent does), anything else an address.
     */
    private static final String GETENT = """
            [[ $1 == hosts ]] || exit 1
            if [[ $2 == "$HOSTNAME" ]]; then printf '%s\\t%s\\n' "$POD_IP" "$2"; exit 0; fi
            echo "$2" >> "$LOG_DIR/getent.names"
            read -r -a answers <<< "$DNS_ANSWERS"
            count=$(cat "$LOG_DIR/getent.count" 2>/dev/null || echo 0)
            echo $(( count + 1 )) > "$LOG_DIR/getent.count"
            answer=${answers[$(( count < ${#answers[@]} ? count : ${#answers[@]} - 1 ))]}
            [[ $answer != - ]] || exit 2
            printf '%s\\t%s\\n' "$answer" "$2"
            """;
    private static final String SLEEP = "echo \"$*\" >> \"$LOG_DIR/sleep.log\"\n";
    /** Records the call; the real one would create directories on this machine. */
    private static final String MKDIR = "echo \"$*\" >> \"$LOG_DIR/mkdir.log\"\n";
    /** Prints $NDB_MGM_OUTPUT and exits $NDB_MGM_EXIT; its arguments go to ndb_mgm.args. */
    private static final String NDB_MGM = """
            printf '%s\\n' "$@" > "$LOG_DIR/ndb_mgm.args"
            printf '%s\\n' "$NDB_MGM_OUTPUT"
            exit "$NDB_MGM_EXIT"
            """;
    /**
     * The probes' mysql client: `SELECT 1` exits $LOGIN_EXIT; SHOW GLOBAL STATUS LIKE 'X' prints the
     * row "X<tab>value" when $STATUS_X is set and nothing otherwise (a variable the server lacks).
     * Every query goes to mysql.queries.
     */
    private static final String MYSQL = """
            query=""
            while (( $# )); do
              case "$1" in
                -NBe|-e) query=$2; shift ;;
              esac
              shift
            done
            echo "$query" >> "$LOG_DIR/mysql.queries"
            (( ${LOGIN_EXIT:-0} == 0 )) || { echo "ERROR 1045 (28000): Access denied" >&2; exit 1; }
            if [[ $query =~ ^SHOW\\ GLOBAL\\ STATUS\\ LIKE\\ \\'([A-Za-z_]+)\\'$ ]]; then
              name=${BASH_REMATCH[1]}
              value_of="STATUS_${name}"
              [[ -z ${!value_of:-} ]] || printf '%s\\t%s\\n' "$name" "${!value_of}"
              exit 0
            fi
            echo 1
            """;

    @TempDir
    Path work;

    /** The three NDB node kinds: StatefulSet, container, a pod of it, the program it starts. */
    static Stream<Arguments> nodes() {
        return Stream.of(
                Arguments.of("ndb-mgmd", "ndb-mgmd", "ndb-mgmd-0", "ndb_mgmd"),
                Arguments.of("ndb-data", "ndbmtd", "ndb-data-1", "ndbmtd"),
                Arguments.of("ndb-sql", "mysqld", "ndb-sql-2", "mysqld"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("nodes")
    void aNodeWaitsUntilItsOwnNameResolvesToItsAddressThenStartsInItsSlot(
            String statefulSet, String container, String pod, String program) {
        PodSandbox sandbox = nodeSandbox(statefulSet, container, pod, program)
                .env("DNS_ANSWERS", "- - - 10.42.0.99 " + POD_IP);

        Result result = sandbox.runContainer();

        assertEquals(0, result.exitCode(), result.output());
        assertFalse(result.output().contains("warning"), result.output());
        assertEquals(Collections.nCopies(4, "1"), sandbox.log("sleep.log").lines().toList(),
                "one second's wait per lookup that did not give the pod's own address (unknown three times, then stale)");
        assertEquals(Collections.nCopies(5, pod + "." + statefulSet), sandbox.log("getent.names").lines().toList());
        assertStartedInItsSlot(sandbox, statefulSet, pod, program);
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("nodes")
    void aNodeWhoseNameNeverResolvesStartsAnywayAfterTwoMinutesWithAWarning(
            String statefulSet, String container, String pod, String program) {
        PodSandbox sandbox = nodeSandbox(statefulSet, container, pod, program).env("DNS_ANSWERS", "-");

        Result result = sandbox.runContainer();

        assertEquals(0, result.exitCode(), result.output());
        assertEquals(120, sandbox.log("sleep.log").lines().count(), "two minutes of one-second waits");
        assertTrue(result.output().contains("warning: " + pod + "." + statefulSet + " does not resolve to "
                + POD_IP + " after 120 s; starting anyway"), result.output());
        assertStartedInItsSlot(sandbox, statefulSet, pod, program);
    }

    /** ndb_mgm's answers to "N STATUS", and whether the data node probe calls node N ready. */
    static Stream<Arguments> dataNodeStates() {
        return Stream.of(
                Arguments.of("Node 3: started (mysql-8.4.3 ndb-8.4.3)", 0, true),
                Arguments.of("Node 3: starting (Last completed phase 4) (mysql-8.4.3 ndb-8.4.3)", 0, false),
                Arguments.of("Node 3: not connected", 0, false),
                Arguments.of("Node 2: started (mysql-8.4.3 ndb-8.4.3)", 0, false),
                Arguments.of("Unable to connect with connect string: nodeid=0,ndb-mgmd-0.ndb-mgmd:1186\n"
                        + "Retrying every 1 seconds. Attempts left: 1... failed.\n"
                        + "Could not connect to the management server", 1, false));
    }

    @ParameterizedTest(name = "{0} -> ready {2}")
    @MethodSource("dataNodeStates")
    void theDataNodeProbeIsReadyOnlyWhenTheManagementServerReportsThisNodeStarted(
            String answer, int exitCode, boolean ready) {
        PodSandbox sandbox = nodeSandbox("ndb-data", "ndbmtd", "ndb-data-1", "ndbmtd")
                .env("NDB_MGM_OUTPUT", answer)
                .env("NDB_MGM_EXIT", String.valueOf(exitCode));
        Container data = sandbox.container();
        assertEquals(data.getReadinessProbe().getExec().getCommand(), data.getStartupProbe().getExec().getCommand(),
                "start-up and readiness ask the same question");

        Result result = sandbox.runReadinessProbe();

        assertEquals(ready ? 0 : 1, result.exitCode(), result.output());
        assertEquals(List.of("--no-defaults", "--ndb-connectstring=" + connectString(), "--connect-retries=1",
                "--connect-retry-delay=1", "-e", "3 STATUS"), sandbox.recorded("ndb_mgm"));
    }

    @Test
    void theDataNodesPreStopAsksForAGracefulStopAndNeverFails() {
        PodSandbox sandbox = nodeSandbox("ndb-data", "ndbmtd", "ndb-data-1", "ndbmtd")
                .env("NDB_MGM_OUTPUT", "Node 3: Node shutdown aborted: would leave the node group without a replica")
                .env("NDB_MGM_EXIT", "1");

        Result result = sandbox.run(sandbox.container().getLifecycle().getPreStop().getExec().getCommand());

        assertEquals(0, result.exitCode(), result.output());
        assertEquals(List.of("--no-defaults", "--ndb-connectstring=" + connectString(), "--connect-retries=1",
                "--connect-retry-delay=1", "-e", "3 STOP"), sandbox.recorded("ndb_mgm"));
    }

    /** Canned server states, and whether an SQL node's readiness probe passes on them. */
    static Stream<Arguments> sqlNodeStates() {
        return Stream.of(
                Arguments.of("attached, a data node started", 0, "1", true),
                Arguments.of("attached, both data nodes started", 0, "2", true),
                Arguments.of("no data node started", 0, "0", false),
                Arguments.of("no NDB status at all", 0, "", false),
                Arguments.of("logins refused", 1, "2", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sqlNodeStates")
    void theSqlNodeProbeIsReadyOnlyWhenItAcceptsLoginsAndSeesAStartedDataNode(
            String state, int loginExit, String readyDataNodes, boolean ready) {
        PodSandbox sandbox = mysqlSandbox("ndb-sql", "ndb-sql-0")
                .env("LOGIN_EXIT", String.valueOf(loginExit))
                .env("STATUS_Ndb_number_of_ready_data_nodes", readyDataNodes);

        Result result = sandbox.runReadinessProbe();

        assertEquals(ready ? 0 : 1, result.exitCode(), state + ": " + result.output());
    }

    @ParameterizedTest(name = "logins refused: {0}")
    @MethodSource("loginOutcomes")
    void theStandaloneProbeIsReadyWhenItAcceptsLoginsAndAsksNothingOfNdb(boolean refused) {
        PodSandbox sandbox = mysqlSandbox("mysql-standalone", "mysql-standalone-0")
                .env("LOGIN_EXIT", refused ? "1" : "0");

        Result result = sandbox.runReadinessProbe();

        assertEquals(refused ? 1 : 0, result.exitCode(), result.output());
        assertEquals(List.of("SELECT 1"), sandbox.log("mysql.queries").lines().toList());
    }

    @ParameterizedTest(name = "ping fails: {0}")
    @MethodSource("loginOutcomes")
    void theMysqlLivenessProbeIsTheServersPing(boolean fails) {
        for (String statefulSet : List.of("ndb-sql", "mysql-standalone")) {
            PodSandbox sandbox = mysqlSandbox(statefulSet, statefulSet + "-0")
                    .stub("mysqladmin", "printf '%s\\n' \"$@\" > \"$LOG_DIR/mysqladmin.args\"\nexit " + (fails ? 1 : 0) + "\n");

            Result result = sandbox.run(sandbox.container().getLivenessProbe().getExec().getCommand());

            assertEquals(fails ? 1 : 0, result.exitCode(), statefulSet + ": " + result.output());
            List<String> args = sandbox.recorded("mysqladmin");
            assertEquals("ping", args.get(args.size() - 1), statefulSet + " pings: " + args);
        }
    }

    static Stream<Boolean> loginOutcomes() {
        return Stream.of(false, true);
    }

    private PodSandbox nodeSandbox(String statefulSet, String container, String pod, String program) {
        return new PodSandbox(work.resolve(statefulSet), Manifests.of(Variant.root()), statefulSet, container, pod)
                .env("POD_IP", POD_IP)
                .stub("getent", GETENT)
                .stub("sleep", SLEEP)
                .stub("mkdir", MKDIR)
                .stub("ndb_mgm", NDB_MGM)
                .recorder(program);
    }

    private PodSandbox mysqlSandbox(String statefulSet, String pod) {
        return new PodSandbox(work.resolve(statefulSet), Manifests.of(Variant.root()), statefulSet, "mysqld", pod)
                .stub("mysql", MYSQL);
    }

    private static void assertStartedInItsSlot(PodSandbox sandbox, String statefulSet, String pod, String program) {
        List<String> args = sandbox.recorded(program);
        assertNotNull(args, program + " was started");
        int nodeId = slotOf(pod + "." + statefulSet);
        assertTrue(args.contains("--ndb-nodeid=" + nodeId), program + " takes node id " + nodeId + ": " + args);
        if (program.equals("mysqld")) {
            // mysqld reads --defaults-file only as its first option; the file is the mounted one.
            assertTrue(args.get(0).startsWith("--defaults-file="), args.toString());
            assertTrue(Files.isRegularFile(sandbox.local(args.get(0).substring("--defaults-file=".length()))), args.get(0));
            assertTrue(args.contains("--ndbcluster"), args.toString());
        } else {
            // No option file of the image (my.cnf) may change what the node is.
            assertEquals("--no-defaults", args.get(0), program + " reads no option files: " + args);
            assertTrue(args.contains("--nodaemon"), program + " stays in the foreground as the container's process");
        }
        if (program.equals("ndb_mgmd")) {
            String configFile = args.stream().filter(arg -> arg.startsWith("--config-file=")).findFirst()
                    .orElseThrow().substring("--config-file=".length());
            assertEquals(Manifests.of(Variant.root()).configMapEntry("ndb-mgmd", "config.ini"),
                    read(sandbox.local(configFile)), "the management node reads the rendered config.ini");
        } else {
            assertTrue(args.contains("--ndb-connectstring=" + connectString()), args.toString());
        }
    }

    /** The management node's address as config.ini and its container give it: what every other node connects to. */
    private static String connectString() {
        Manifests manifests = Manifests.of(Variant.root());
        IniFile config = IniFile.parse(manifests.configMapEntry("ndb-mgmd", "config.ini"));
        String expected = config.one("ndb_mgmd").orElseThrow().get("HostName") + ":"
                + manifests.workload("ndb-mgmd").namedPorts().get("ndb-mgm");
        assertEquals(expected, manifests.configMapEntry("ndb-connectstring", "connectstring"));
        return expected;
    }

    private static int slotOf(String host) {
        IniFile config = IniFile.parse(Manifests.of(Variant.root()).configMapEntry("ndb-mgmd", "config.ini"));
        return config.sections().stream()
                .filter(section -> host.equals(section.get("HostName")))
                .findFirst().orElseThrow(() -> new AssertionError("config.ini has no slot for " + host))
                .getInt("NodeId");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
