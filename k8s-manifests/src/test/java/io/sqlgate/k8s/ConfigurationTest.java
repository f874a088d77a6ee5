package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.sqlgate.hop.Sha256;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Configuration holds together: every reference resolves, Services reach pods, Secrets hold marked
 * placeholders, and the proxy's nodes, the schema Job's and the benchmark's targets name the SQL pods.
 */
class ConfigurationTest {

    /** The demo key of the single-node overlay (published; fit only for a laptop or a test cluster). */
    static final String DEMO_API_KEY = "sqlgate-single-node-demo-key";
    private static final Pattern API_KEY_ENTRY = Pattern.compile("[^:,\\s]+:(reader|writer|auditor):[0-9a-f]{64}");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    static List<Variant> deployable() {
        return Variant.deployable();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everyConfigMapAndSecretReferenceResolves(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        Map<String, Set<String>> configMaps = new TreeMap<>();
        manifests.all(ConfigMap.class).forEach(map -> configMaps.put(map.getMetadata().getName(),
                Objects.requireNonNullElse(map.getData(), Map.<String, String>of()).keySet()));
        Map<String, Set<String>> secrets = new TreeMap<>();
        manifests.all(Secret.class).forEach(secret -> secrets.put(secret.getMetadata().getName(),
                Manifests.decoded(secret).keySet()));

        List<String> problems = new ArrayList<>();
        for (Workload workload : manifests.workloads()) {
            for (Container container : workload.allContainers()) {
                String where = workload + "/" + container.getName();
                for (EnvVar env : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    var secretRef = env.getValueFrom().getSecretKeyRef();
                    var mapRef = env.getValueFrom().getConfigMapKeyRef();
                    if (secretRef != null && !secrets.getOrDefault(secretRef.getName(), Set.of()).contains(secretRef.getKey())) {
                        problems.add(where + ": " + env.getName() + " -> missing Secret key "
                                + secretRef.getName() + "/" + secretRef.getKey());
                    }
                    if (mapRef != null && !configMaps.getOrDefault(mapRef.getName(), Set.of()).contains(mapRef.getKey())) {
                        problems.add(where + ": " + env.getName() + " -> missing ConfigMap key "
                                + mapRef.getName() + "/" + mapRef.getKey());
                    }
                }
                for (EnvFromSource source : Objects.requireNonNullElse(container.getEnvFrom(), List.<EnvFromSource>of())) {
                    if (source.getConfigMapRef() != null && !configMaps.containsKey(source.getConfigMapRef().getName())) {
                        problems.add(where + ": envFrom missing ConfigMap " + source.getConfigMapRef().getName());
                    }
                    if (source.getSecretRef() != null && !secrets.containsKey(source.getSecretRef().getName())) {
                        problems.add(where + ": envFrom missing Secret " + source.getSecretRef().getName());
                    }
                }
                container.getVolumeMounts().forEach(mount -> {
                    boolean declared = workload.pod().getVolumes().stream().anyMatch(v -> v.getName().equals(mount.getName()))
                            || isClaimTemplate(manifests, workload, mount.getName());
                    if (!declared) {
                        problems.add(where + ": mounts undeclared volume " + mount.getName());
                    }
                });
            }
            for (Volume volume : Objects.requireNonNullElse(workload.pod().getVolumes(), List.<Volume>of())) {
                if (volume.getConfigMap() != null) {
                    Set<String> keys = configMaps.get(volume.getConfigMap().getName());
                    if (keys == null) {
                        problems.add(workload + ": volume " + volume.getName() + " -> missing ConfigMap "
                                + volume.getConfigMap().getName());
                        continue;
                    }
                    for (KeyToPath item : Objects.requireNonNullElse(volume.getConfigMap().getItems(), List.<KeyToPath>of())) {
                        if (!keys.contains(item.getKey())) {
                            problems.add(workload + ": volume " + volume.getName() + " -> missing key " + item.getKey());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everyServiceSelectsPodsThatServeItsPorts(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        List<String> problems = new ArrayList<>();
        for (Service service : manifests.all(Service.class)) {
            String name = service.getMetadata().getName();
            List<Workload> selected = manifests.workloads().stream()
                    .filter(workload -> !workload.isJob())
                    .filter(workload -> Selectors.matches(service.getSpec().getSelector(), workload.podLabels()))
                    .toList();
            if (selected.isEmpty()) {
                problems.add("Service/" + name + " selects no pods");
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                for (Workload workload : selected) {
                    var target = port.getTargetPort();
                    boolean served = target == null
                            ? workload.declaredPorts().stream().anyMatch(p -> p.getContainerPort().equals(port.getPort()))
                            : target.getStrVal() != null
                                    ? workload.namedPorts().containsKey(target.getStrVal())
                                    : workload.declaredPorts().stream().anyMatch(p -> p.getContainerPort().equals(target.getIntVal()));
                    if (!served) {
                        problems.add("Service/" + name + " port " + port.getPort() + " is not served by " + workload);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theSecretsOfTheRootHoldOnlyMarkedPlaceholders() {
        Manifests manifests = Manifests.of(Variant.root());
        List<String> unmarked = new ArrayList<>();
        for (Secret secret : manifests.all(Secret.class)) {
            Manifests.decoded(secret).forEach((key, value) -> {
                if (!key.equals("username") && !value.contains("CHANGE-ME")) {
                    unmarked.add(Manifests.generatorName(secret.getMetadata().getName()) + "/" + key);
                }
            });
        }
        assertEquals(List.of(), unmarked, "secret values that do not say CHANGE-ME");
        String keys = Manifests.decoded(manifests.secret("gatekeeper-api-keys")).get("api-keys");
        assertTrue(API_KEY_ENTRY.matcher(keys).matches(), keys);
        assertTrue(keys.endsWith(":" + "0".repeat(64)), "the placeholder key's hash matches no key");
    }

    @Test
    void theSingleNodeOverlayCarriesTheDemoWriterKey() {
        String keys = Manifests.decoded(Manifests.of(Variant.singleNodeOverlay()).secret("gatekeeper-api-keys"))
                .get("api-keys");
        assertEquals("demo:writer:" + Sha256.hex(DEMO_API_KEY), keys);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void theTiersAreWiredAsTheContractSays(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        assertEquals(Map.of("TRUSTED_HOST_URL", "http://trusted-host:8080"), manifests.configMap("gatekeeper").getData());
        assertEquals(Map.of("SQLGATE_POLICY_DATABASE", "main_db",
                        "SQLGATE_POLICY_ALLOWED_TABLES", "direct_table,random_table,customized_table"),
                manifests.configMap("sql-policy").getData());
        for (String tier : List.of("gatekeeper", "trusted-host", "proxy")) {
            // every tier decides for itself, from the same policy
            assertTrue(manifests.workload(tier).container(tier).getEnvFrom().stream()
                    .anyMatch(from -> from.getConfigMapRef() != null && from.getConfigMapRef().getName().startsWith("sql-policy")), tier);
        }
        assertEquals(Map.of("PROXY_URL", "http://proxy:8080"), manifests.configMap("trusted-host").getData());

        assertEquals(Map.of("HOP_SIGN_SECRET", "hop-secrets/gatekeeper-to-trusted-host",
                        "GATEKEEPER_API_KEYS", "gatekeeper-api-keys/api-keys"),
                secretEnv(manifests.workload("gatekeeper").container("gatekeeper")));
        assertEquals(Map.of("HOP_VERIFY_SECRET", "hop-secrets/gatekeeper-to-trusted-host",
                        "HOP_SIGN_SECRET", "hop-secrets/trusted-host-to-proxy"),
                secretEnv(manifests.workload("trusted-host").container("trusted-host")));
        Container proxy = manifests.workload("proxy").container("proxy");
        assertEquals(Map.of("HOP_VERIFY_SECRET", "hop-secrets/trusted-host-to-proxy",
                        "DB_USERNAME", "db-app/username", "DB_PASSWORD", "db-app/password",
                        "MONITOR_USERNAME", "db-monitor/username", "MONITOR_PASSWORD", "db-monitor/password"),
                secretEnv(proxy), "only the proxy holds database credentials");
        assertEquals("/etc/proxy/nodes.yml", WorkloadHardeningTest.env(proxy, "MICRONAUT_CONFIG_FILES"));
        assertTrue(proxy.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/etc/proxy")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everySqlNodeIsWritableAndTheFirstIsThePreferredWriter(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        List<String> sqlPods = sqlPodHosts(manifests);
        Map<String, Object> root = YAML.readValue(manifests.configMapEntry("proxy-nodes", "nodes.yml"), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> proxy = (Map<String, Object>) root.get("proxy");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> nodes = (Map<String, Map<String, Object>>) proxy.get("nodes");

        List<String> hosts = new ArrayList<>();
        nodes.forEach((name, node) -> {
            URI uri = URI.create(node.get("url").toString().substring("jdbc:".length()));
            assertEquals("mysql", uri.getScheme());
            assertEquals(3306, uri.getPort());
            assertEquals("/main_db", uri.getPath());
            assertTrue(uri.getQuery().contains("sslMode=REQUIRED"), uri.toString());
            assertTrue(!node.containsKey("writable") || Boolean.TRUE.equals(node.get("writable")), name + " may take writes");
            assertTrue(!node.containsKey("role"), name + ": the role is the monitor's to give");
            hosts.add(uri.getHost());
        });
        assertEquals(sqlPods, hosts);
        @SuppressWarnings("unchecked")
        Map<String, Object> writer = (Map<String, Object>) proxy.get("writer");
        String preferred = writer.get("preferred").toString();
        assertTrue(nodes.get(preferred).get("url").toString().contains("//" + sqlPods.get(0) + ":"), preferred);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void theSchemaAndBenchmarkJobsNameEverySqlNodeAndTheStandaloneServer(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        List<String> sqlPods = sqlPodHosts(manifests);
        assertEquals(String.join(" ", sqlPods), manifests.configMapEntry("schema", "SQL_NODES"));
        assertEquals("mysql-standalone", manifests.configMapEntry("schema", "STANDALONE_HOST"));
        if (!variant.benchmark()) {
            return;
        }
        assertEquals(String.join(" ", sqlPods), manifests.configMapEntry("sysbench", "NDB_HOSTS"));
        assertEquals("mysql-standalone", manifests.configMapEntry("sysbench", "STANDALONE_HOSTS"));

        Map<?, ?> config = YAML.readValue(manifests.configMapEntry("sysbench", "targets.yaml"), Map.class);
        Map<String, Map<?, ?>> targets = ((List<?>) config.get("targets")).stream()
                .map(Map.class::cast)
                .collect(Collectors.toMap(target -> (String) target.get("name"), target -> target));
        assertEquals(Set.of("standalone", "ndb-cluster"), targets.keySet());
        assertEquals(List.of("mysql-standalone"), targets.get("standalone").get("hosts"));
        assertEquals("innodb", targets.get("standalone").get("engine"));
        assertEquals(sqlPods, targets.get("ndb-cluster").get("hosts"));
        assertEquals("ndbcluster", targets.get("ndb-cluster").get("engine"),
                "without it sysbench builds InnoDB tables on one SQL node");

        String benchUser = Manifests.decoded(manifests.secret("db-bench")).get("username");
        Container runner = manifests.workload("sysbench").container("sysbench");
        Set<String> runnerSecrets = secretEnv(runner).keySet();
        for (Map<?, ?> target : targets.values()) {
            assertEquals(benchUser, target.get("user"));
            assertEquals("sbtest", target.get("database"));
            assertEquals(3306, target.get("port"));
            assertTrue(runnerSecrets.contains((String) target.get("passwordEnv")),
                    "the runner has " + target.get("passwordEnv"));
        }
    }

    @Test
    void onlyDatabaseAccountsAndTheirConsumersSeeDatabaseSecrets() {
        Manifests manifests = Manifests.of(Variant.benchmarkOverlay());
        Map<String, Set<String>> users = new TreeMap<>();
        for (Workload workload : manifests.workloads()) {
            for (Container container : workload.allContainers()) {
                secretEnv(container).values().forEach(ref ->
                        users.computeIfAbsent(ref.substring(0, ref.indexOf('/')), k -> new TreeSet<>()).add(workload.name()));
            }
        }
        assertEquals(Set.of("proxy", "schema"), users.get("db-app"));
        assertEquals(Set.of("proxy", "schema"), users.get("db-monitor"));
        assertEquals(Set.of("schema", "sysbench"), users.get("db-bench"));
        assertEquals(Set.of("ndb-sql", "mysql-standalone", "schema"), users.get("db-admin"));
        assertEquals(Set.of("gatekeeper"), users.get("gatekeeper-api-keys"));
        assertEquals(Set.of("gatekeeper", "trusted-host", "proxy"), users.get("hop-secrets"));
    }

    /** The SQL pods' DNS names through the headless Service, by ordinal. */
    static List<String> sqlPodHosts(Manifests manifests) {
        return IntStream.range(0, manifests.workload("ndb-sql").replicas())
                .mapToObj(ordinal -> "ndb-sql-" + ordinal + ".ndb-sql")
                .toList();
    }

    /** Environment variables from Secrets: name -> "secret/key" (secret by its generator name). */
    static Map<String, String> secretEnv(Container container) {
        Map<String, String> refs = new TreeMap<>();
        for (EnvVar env : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                var ref = env.getValueFrom().getSecretKeyRef();
                refs.put(env.getName(), Manifests.generatorName(ref.getName()) + "/" + ref.getKey());
            }
        }
        return refs;
    }

    private static boolean isClaimTemplate(Manifests manifests, Workload workload, String volume) {
        if (!workload.kind().equals("StatefulSet")) {
            return false;
        }
        return manifests.named(io.fabric8.kubernetes.api.model.apps.StatefulSet.class, workload.name())
                .getSpec().getVolumeClaimTemplates().stream()
                .anyMatch(claim -> claim.getMetadata().getName().equals(volume));
    }
}
