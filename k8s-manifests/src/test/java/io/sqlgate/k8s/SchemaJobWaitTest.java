package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sqlgate.k8s.PodSandbox.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema Job sends its DDL only through SQL nodes whose NDB schema distribution runs: the rendered
 * Job's container, run with a stand-in {@code mysql} whose servers lag in one respect for their first
 * polls (no started data node, no node id yet, no mysql.ndb_schema, the binlog thread not yet waiting
 * for events), and a {@code sleep} that only counts.
 */
class SchemaJobWaitTest {

    private static final int LAGGING_POLLS = 2;

    /**
     * mysql --host=H -NBe QUERY answers the readiness queries; the one named by $LAGGING answers "not yet"
     * to H's first $LAGGING_POLLS polls (a poll starts with the data node count). Statements on stdin go to
     * H.sql. Every poll answer and every statement batch goes to the events log, in order.
     */
    private static final String MYSQL = """
            host=""; query=""
            while (( $# )); do
              case "$1" in
                --host=*) host=${1#--host=} ;;
                -NBe|-e) query=$2; shift ;;
              esac
              shift
            done
            polls_file="$LOG_DIR/$host.polls"
            if [[ -z $query ]]; then
              echo "$host statements" >> "$LOG_DIR/events"
              cat >> "$LOG_DIR/$host.sql"
              exit 0
            fi
            case "$query" in
              *Ndb_number_of_ready_data_nodes*) kind=data-nodes
                echo $(( $(cat "$polls_file" 2>/dev/null || echo 0) + 1 )) > "$polls_file" ;;
              *Ndb_cluster_node_id*) kind=node-id ;;
              *ndb_schema*) kind=ndb-schema ;;
              *PROCESSLIST*) kind=binlog-thread ;;
              *information_schema.TABLES*) echo 3; exit 0 ;;
              *) echo 1; exit 0 ;;
            esac
            lagging=0
            if [[ $kind == "$LAGGING" ]] && (( $(cat "$polls_file") <= LAGGING_POLLS )); then lagging=1; fi
            echo "$host $kind $( (( lagging )) && echo not-yet || echo ready)" >> "$LOG_DIR/events"
            case $kind in
              data-nodes) (( lagging )) && printf 'Ndb_number_of_ready_data_nodes\\t0\\n' || printf 'Ndb_number_of_ready_data_nodes\\t2\\n' ;;
              node-id) (( lagging )) && printf 'Ndb_cluster_node_id\\t0\\n' || printf 'Ndb_cluster_node_id\\t145\\n' ;;
              ndb-schema) (( lagging )) && echo 0 || echo 1 ;;
              binlog-thread) (( lagging )) && echo 0 || echo 1 ;;
            esac
            """;

    @TempDir
    Path work;

    static Stream<String> lagging() {
        return Stream.of("data-nodes", "node-id", "ndb-schema", "binlog-thread");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lagging")
    void noStatementIsSentBeforeEverySqlNodeDistributesSchemaChanges(String lagging) {
        Manifests manifests = Manifests.of(Variant.root());
        List<String> sqlNodes = ConfigurationTest.sqlPodHosts(manifests);
        PodSandbox sandbox = new PodSandbox(work, manifests, "schema", "schema", "schema-x7k2p")
                .stub("mysql", MYSQL)
                .stub("sleep", "echo \"$*\" >> \"$LOG_DIR/sleep.log\"\n")
                .env("LAGGING", lagging)
                .env("LAGGING_POLLS", String.valueOf(LAGGING_POLLS));
        sandbox.env("SCHEMA_SQL", sandbox.local("/etc/schema/main-db.sql").toString());

        Result result = sandbox.runContainer();

        assertEquals(0, result.exitCode(), result.output());
        List<String> events = sandbox.log("events").lines().toList();
        int firstStatements = events.indexOf(sqlNodes.get(0) + " statements");
        assertTrue(firstStatements > 0, "main_db was created through " + sqlNodes.get(0) + ": " + events);
        List<String> before = events.subList(0, firstStatements);
        for (String host : sqlNodes) {
            assertEquals(LAGGING_POLLS, before.stream().filter(e -> e.equals(host + " " + lagging + " not-yet")).count(),
                    host + " was asked again while its " + lagging + " was not ready: " + before);
            assertTrue(before.contains(host + " " + lagging + " ready"), host + ": " + before);
        }
        assertEquals(sqlNodes.size() * LAGGING_POLLS, sandbox.log("sleep.log").lines().count(),
                "one wait (sleep 5) per poll that found a node not ready");
    }
}
