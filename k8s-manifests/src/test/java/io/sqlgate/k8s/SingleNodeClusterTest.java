package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.sqlgate.testkit.Eventually;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * sqlgate end to end on a real Kubernetes: k3s in a container, the tiers' Jib images imported into its
 * containerd, the single-node overlay applied. Then the original system's client scenario through a
 * port-forward to the gatekeeper, a pod outside the namespace that reaches the gatekeeper but not the
 * trusted host or the proxy (k3s enforces the NetworkPolicies), and every tier's JSON log lines holding
 * the scenario's request ids.
 *
 * <p>Needs a Docker engine (skipped without one) and the images built first:
 * {@code mvn -pl gatekeeper,trusted-host,proxy,sysbench-job -am package jib:buildTar}.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class SingleNodeClusterTest {

    private static final DockerImageName K3S_IMAGE = DockerImageName.parse("rancher/k3s:v1.32.5-k3s1");
    private static final String PROBE_IMAGE = "busybox:1.36.1";
    private static final List<String> IMAGE_MODULES = List.of("gatekeeper", "trusted-host", "proxy", "sysbench-job");
    private static final List<String> TIERS = List.of("gatekeeper", "trusted-host", "proxy");
    private static final String NAMESPACE = Variant.NAMESPACE;
    private static final Pattern IMPORTED_IMAGE = Pattern.compile("unpacking (\\S+) \\(");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The original client's scenario: route -> table read through it. */
    private static final Map<String, String> READS = new LinkedHashMap<>();

    static {
        READS.put("/fetch_direct", "direct_table");
        READS.put("/fetch_random", "random_table");
        READS.put("/fetch_customized", "customized_table");
    }

    @Container
    static final K3sContainer K3S = new K3sContainer(K3S_IMAGE);

    private static KubernetesClient client;
    private static final List<String> requestIds = new ArrayList<>();

    @BeforeAll
    static void deploy() throws Exception {
        Path repository = Path.of(System.getProperty("sqlgate.repository.root", "..")).toAbsolutePath().normalize();
        for (String module : IMAGE_MODULES) {
            importImage(module, repository.resolve(module).resolve("target/jib-image.tar"));
        }

        K3S.copyFileToContainer(Transferable.of(Kustomize.render(Variant.singleNodeOverlay().dir())),
                "/tmp/sqlgate.yaml");
        // The single-node overlay leaves the benchmark out (components/benchmark): it is not part of this
        // scenario, and would compete with it for the node's CPU.
        kubectl("apply", "-f", "/tmp/sqlgate.yaml");

        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build();

        try {
            kubectl("-n", NAMESPACE, "rollout", "status", "statefulset/ndb-mgmd", "--timeout=25m");
            // ndb-data is OnDelete, for which kubectl has no rollout status: its one pod's readiness instead.
            kubectl("-n", NAMESPACE, "wait", "--for=jsonpath={.status.readyReplicas}=1", "statefulset/ndb-data",
                    "--timeout=25m");
            for (String statefulSet : List.of("ndb-sql", "mysql-standalone")) {
                kubectl("-n", NAMESPACE, "rollout", "status", "statefulset/" + statefulSet, "--timeout=25m");
            }
            kubectl("-n", NAMESPACE, "wait", "--for=condition=complete", "job/schema", "--timeout=25m");
            for (String tier : TIERS) {
                kubectl("-n", NAMESPACE, "rollout", "status", "deployment/" + tier, "--timeout=10m");
            }
        } catch (AssertionError e) {
            System.err.println(diagnostics());
            throw e;
        }
    }

    @AfterAll
    static void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    @Order(1)
    void theOriginalClientScenarioRunsThroughTheGatekeeper() throws Exception {
        Pod gatekeeper = podsOf("gatekeeper").get(0);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try (LocalPortForward forward = client.pods().inNamespace(NAMESPACE)
                .withName(gatekeeper.getMetadata().getName()).portForward(8080)) {
            URI base = URI.create("http://127.0.0.1:" + forward.getLocalPort());

            for (String table : READS.values()) {
                for (int i = 0; i < 20; i++) {
                    JsonNode written = post(http, base, "/populate_tables",
                            "INSERT INTO " + table + " (column1, column2) VALUES ('column1_value', 'column2_value')");
                    assertEquals(1, written.get("affectedRows").asInt(), written.toString());
                }
            }
            for (Map.Entry<String, String> read : READS.entrySet()) {
                for (int i = 0; i < 20; i++) {
                    JsonNode rows = post(http, base, read.getKey(), "SELECT * FROM " + read.getValue() + " LIMIT 1");
                    assertTrue(rows.isArray() && rows.size() == 1, read.getKey() + " answered " + rows);
                    assertEquals(3, rows.get(0).size(), rows.toString());
                    assertEquals("column1_value", rows.get(0).get(1).asString());
                    assertEquals("column2_value", rows.get(0).get(2).asString());
                }
            }
        }
        assertEquals(120, requestIds.size());
    }

    @Test
    @Order(2)
    void aPodOutsideTheNamespaceReachesTheGatekeeperButNotTheTiersBehindIt() throws Exception {
        String script = String.join("; ",
                // The gatekeeper's health is on its management port, which no client reaches; its API port
                // serves the API description without a key.
                probe("gatekeeper", "http://gatekeeper.sqlgate.svc.cluster.local:8080/openapi.yml"),
                probe("trusted-host", "http://trusted-host.sqlgate.svc.cluster.local:8080/health/liveness"),
                probe("proxy", "http://proxy.sqlgate.svc.cluster.local:8080/health/liveness"));
        kubectl("-n", "default", "run", "netpol-probe", "--image=" + PROBE_IMAGE, "--restart=Never",
                "--command", "--", "sh", "-c", script);
        kubectl("-n", "default", "wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/netpol-probe",
                "--timeout=5m");
        String verdicts = kubectl("-n", "default", "logs", "pod/netpol-probe");
        // kube-router rejects a denied connection (refused), other controllers drop it (timeout): either fails.
        assertTrue(verdicts.contains("gatekeeper=reachable"), verdicts);
        assertTrue(verdicts.contains("trusted-host=blocked"), verdicts);
        assertTrue(verdicts.contains("proxy=blocked"), verdicts);
    }

    @Test
    @Order(3)
    void everyTierLogsTheScenariosRequestIdsAsJsonLines() throws Exception {
        assertFalse(requestIds.isEmpty(), "the scenario ran first");
        for (String tier : TIERS) {
            // A pod's log is read through the API server, a moment behind what the tier wrote.
            Eventually.await(Duration.ofSeconds(30), tier + " logs every request id", () -> idsNotLogged(tier).isEmpty());
            assertEquals(List.of(), idsNotLogged(tier), tier + ": request ids without a JSON log line");
        }
    }

    /** The scenario's request ids that none of the tier's JSON log lines holds. */
    private static List<String> idsNotLogged(String tier) {
        List<JsonNode> lines = jsonLines(tier);
        return requestIds.stream().filter(id -> lines.stream().noneMatch(line -> line.toString().contains(id))).toList();
    }

    private static JsonNode post(HttpClient http, URI base, String path, String sql)
            throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("sql", sql));
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ConfigurationTest.DEMO_API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + " " + sql + " -> " + response.body());
        String requestId = response.headers().firstValue("X-Request-Id")
                .orElseGet(() -> fail(path + ": no X-Request-Id in the response"));
        requestIds.add(requestId);
        return JSON.readTree(response.body());
    }

    private static List<JsonNode> jsonLines(String tier) {
        List<JsonNode> lines = new ArrayList<>();
        for (Pod pod : podsOf(tier)) {
            String log = client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).getLog();
            for (String line : log.split("\n")) {
                if (line.startsWith("{")) {
                    try {
                        JsonNode node = JSON.readTree(line);
                        if (node.isObject()) {
                            lines.add(node);
                        }
                    } catch (RuntimeException notJson) {
                        // a line that merely starts with a brace
                    }
                }
            }
        }
        return lines;
    }

    private static List<Pod> podsOf(String workload) {
        List<Pod> pods = client.pods().inNamespace(NAMESPACE)
                .withLabel("app.kubernetes.io/name", workload).list().getItems();
        assertFalse(pods.isEmpty(), "no pod of " + workload);
        return pods;
    }

    private static String probe(String name, String url) {
        return "if wget -q -T 5 -O /dev/null " + url + "; then echo " + name + "=reachable; else echo " + name
                + "=blocked; fi";
    }

    /** Imports a Jib image tarball into k3s's containerd, under the name the manifests use. */
    private static void importImage(String module, Path tarball) throws IOException, InterruptedException {
        if (!Files.isRegularFile(tarball)) {
            fail("missing " + tarball + ": build the images first, e.g. "
                    + "mvn -pl gatekeeper,trusted-host,proxy,sysbench-job -am package jib:buildTar");
        }
        String inContainer = "/tmp/" + module + ".tar";
        K3S.copyFileToContainer(MountableFile.forHostPath(tarball), inContainer);
        String output = exec("k3s", "ctr", "images", "import", inContainer);
        String wanted = "localhost/sqlgate/" + module + ":0.1.0";
        Matcher imported = IMPORTED_IMAGE.matcher(output);
        if (!imported.find()) {
            fail("k3s ctr images import named no image: " + output);
        }
        if (!imported.group(1).equals(wanted)) {
            exec("k3s", "ctr", "images", "tag", "--force", imported.group(1), wanted);
        }
    }

    private static String kubectl(String... arguments) throws IOException, InterruptedException {
        String[] command = new String[arguments.length + 1];
        command[0] = "kubectl";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        return exec(command);
    }

    private static String exec(String... command) throws IOException, InterruptedException {
        ExecResult result = K3S.execInContainer(command);
        if (result.getExitCode() != 0) {
            fail(String.join(" ", command) + " exited " + result.getExitCode() + ":\n" + result.getStdout()
                    + result.getStderr());
        }
        return result.getStdout();
    }

    private static String diagnostics() {
        StringBuilder report = new StringBuilder("k3s state after a failed rollout:\n");
        for (String[] command : List.of(
                new String[] {"kubectl", "-n", NAMESPACE, "get", "pods,jobs,pvc", "-o", "wide"},
                new String[] {"kubectl", "-n", NAMESPACE, "get", "events", "--sort-by=.lastTimestamp"},
                new String[] {"kubectl", "-n", NAMESPACE, "logs", "statefulset/ndb-mgmd", "--tail=50"},
                new String[] {"kubectl", "-n", NAMESPACE, "logs", "job/schema", "--tail=50"})) {
            try {
                ExecResult result = K3S.execInContainer(command);
                report.append("$ ").append(String.join(" ", command)).append('\n')
                        .append(result.getStdout()).append(result.getStderr());
            } catch (IOException | InterruptedException e) {
                report.append(String.join(" ", command)).append(": ").append(e).append('\n');
            }
        }
        return report.toString();
    }
}
