package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.sqlgate.k8s.IniFile.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NDB cluster: data nodes on their own tainted machines (EC2) or anywhere (single node), and a
 * config.ini that agrees with the StatefulSets: one slot per pod, node ids from ordinals, host names from
 * the headless Services, the data node port the NetworkPolicies open.
 */
class NdbClusterTest {

    private static final String ROLE_KEY = "sqlgate.io/role";
    private static final String ROLE_VALUE = "ndb-data";

    static List<Variant> deployable() {
        return Variant.deployable();
    }

    @Test
    void dataNodesRunOnlyOnTheirTaintedAndLabelledMachinesOnePerMachine() {
        Manifests manifests = Manifests.of(Variant.root());
        Workload data = manifests.workload("ndb-data");

        List<Toleration> tolerations = Objects.requireNonNullElse(data.pod().getTolerations(), List.of());
        assertTrue(tolerations.stream().anyMatch(NdbClusterTest::toleratesDataNodeTaint),
                "ndb-data tolerates " + ROLE_KEY + "=" + ROLE_VALUE + ":NoSchedule: " + tolerations);

        Affinity affinity = data.pod().getAffinity();
        assertNotNull(affinity);
        List<NodeSelectorTerm> terms = affinity.getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertFalse(terms.isEmpty());
        for (NodeSelectorTerm term : terms) {
            // Terms are ORed: each one must demand the label.
            assertTrue(term.getMatchExpressions().stream().anyMatch(NdbClusterTest::requiresDataNodeLabel),
                    "every node selector term requires " + ROLE_KEY + "=" + ROLE_VALUE);
        }

        List<PodAffinityTerm> antiAffinity = affinity.getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution();
        assertTrue(antiAffinity.stream().anyMatch(term -> term.getTopologyKey().equals("kubernetes.io/hostname")
                        && Selectors.matches(term.getLabelSelector(), data.podLabels())),
                "two data nodes never share a machine");

        for (Workload other : manifests.workloads()) {
            if (!other.name().equals("ndb-data")) {
                assertFalse(Objects.requireNonNullElse(other.pod().getTolerations(), List.<Toleration>of()).stream()
                        .anyMatch(NdbClusterTest::toleratesDataNodeTaint), other + " stays off the data machines");
            }
        }
    }

    @Test
    void onASingleNodeDataNodesNeedNoDedicatedMachine() {
        Affinity affinity = Manifests.of(Variant.singleNodeOverlay()).workload("ndb-data").pod().getAffinity();
        if (affinity != null) {
            assertTrue(affinity.getNodeAffinity() == null
                    || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null);
            assertTrue(affinity.getPodAntiAffinity() == null
                    || affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null
                    || affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void dataNodesKeepTheirFilesOnPersistentVolumesAndLoseAtMostOneAtATime(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        StatefulSet data = manifests.named(StatefulSet.class, "ndb-data");
        assertEquals(List.of("data"), data.getSpec().getVolumeClaimTemplates().stream()
                .map(claim -> claim.getMetadata().getName()).toList());
        assertTrue(manifests.workload("ndb-data").container("ndbmtd").getVolumeMounts().stream()
                .anyMatch(mount -> mount.getName().equals("data") && mount.getMountPath().equals("/var/lib/ndb")));
        assertEquals("Parallel", data.getSpec().getPodManagementPolicy(), "an initial start needs every data node");

        PodDisruptionBudget budget = manifests.named(PodDisruptionBudget.class, "ndb-data");
        assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal());
        assertTrue(Selectors.matches(budget.getSpec().getSelector(), manifests.workload("ndb-data").podLabels()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void onlyTheDataNodesWaitToBeRestartedInOrder(Variant variant) {
        Map<String, String> strategies = new TreeMap<>();
        for (StatefulSet set : Manifests.of(variant).all(StatefulSet.class)) {
            var strategy = set.getSpec().getUpdateStrategy();
            strategies.put(set.getMetadata().getName(),
                    strategy == null || strategy.getType() == null ? "RollingUpdate" : strategy.getType());
        }
        assertEquals(Map.of("ndb-mgmd", "RollingUpdate", "ndb-data", "OnDelete", "ndb-sql", "RollingUpdate",
                        "mysql-standalone", "RollingUpdate"), strategies,
                "an apply never restarts a data node; they are deleted one by one (README.md, \"Restarting the data nodes\")");
    }

    @Test
    void noDocumentedCommandAsksForTheRolloutStatusOfAnOnDeleteStatefulSet() throws IOException {
        // kubectl answers "rollout status is only available for RollingUpdate strategy type" for those.
        List<String> onDelete = Manifests.of(Variant.root()).all(StatefulSet.class).stream()
                .filter(set -> set.getSpec().getUpdateStrategy() != null
                        && "OnDelete".equals(set.getSpec().getUpdateStrategy().getType()))
                .map(set -> set.getMetadata().getName())
                .toList();
        assertFalse(onDelete.isEmpty());
        List<String> lines = Files.readAllLines(Variant.manifestsDir().resolve("README.md"));
        List<String> wrong = lines.stream()
                .filter(line -> onDelete.stream().anyMatch(name -> line.contains("rollout status statefulset/" + name + " ")
                        || line.endsWith("rollout status statefulset/" + name)))
                .toList();
        assertEquals(List.of(), wrong, "README.md: wait for the readiness of an OnDelete StatefulSet's pods instead");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void configIniHasOneSlotPerPodWithNodeIdsFromOrdinals(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        IniFile config = IniFile.parse(manifests.configMapEntry("ndb-mgmd", "config.ini"));

        int dataNodes = manifests.workload("ndb-data").replicas();
        int sqlNodes = manifests.workload("ndb-sql").replicas();
        int redundancy = config.one("ndbd default").orElseThrow().getInt("NoOfReplicas");
        List<Section> ndbd = config.all("ndbd");
        assertEquals(dataNodes, ndbd.size(), "one [ndbd] per data node pod");
        assertEquals(0, dataNodes % redundancy, "data nodes form whole node groups of NoOfReplicas");
        if (!variant.singleNode()) {
            assertEquals(2, redundancy);
            assertEquals(2, dataNodes);
        }

        int mgmdBase = nodeIdBase(manifests, "ndb-mgmd", "ndb-mgmd");
        int dataBase = nodeIdBase(manifests, "ndb-data", "ndbmtd");
        int sqlBase = nodeIdBase(manifests, "ndb-sql", "mysqld");

        List<Section> mgmd = config.all("ndb_mgmd");
        assertEquals(1, mgmd.size());
        assertEquals("ndb-mgmd-0.ndb-mgmd", mgmd.get(0).get("HostName"));
        assertEquals(mgmdBase, mgmd.get(0).getInt("NodeId"));

        for (int ordinal = 0; ordinal < dataNodes; ordinal++) {
            Section section = ndbd.get(ordinal);
            assertEquals("ndb-data-" + ordinal + ".ndb-data", section.get("HostName"));
            assertEquals(dataBase + ordinal, section.getInt("NodeId"));
            assertTrue(section.getInt("NodeId") <= 144, "data node ids are 1..144");
        }

        List<Section> apiSlots = new ArrayList<>(config.all("mysqld"));
        apiSlots.addAll(config.all("api"));
        for (Section slot : apiSlots) {
            assertNotNull(slot.get("HostName"), "no API slot open to any host: " + slot.values());
        }
        for (int ordinal = 0; ordinal < sqlNodes; ordinal++) {
            String host = "ndb-sql-" + ordinal + ".ndb-sql";
            int nodeId = sqlBase + ordinal;
            assertTrue(apiSlots.stream().anyMatch(slot -> host.equals(slot.get("HostName"))
                            && slot.getInt("NodeId") == nodeId),
                    "a [mysqld] slot for " + host + " with NodeId " + nodeId);
        }

        Set<Integer> ids = new HashSet<>();
        for (Section section : config.sections()) {
            if (section.get("NodeId") != null) {
                assertTrue(ids.add(section.getInt("NodeId")), "NodeId " + section.get("NodeId") + " is unique");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void theDataNodePortIsFixedAndTheSameEverywhere(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        IniFile config = IniFile.parse(manifests.configMapEntry("ndb-mgmd", "config.ini"));
        int serverPort = config.one("ndbd default").orElseThrow().getInt("ServerPort");
        assertEquals(11860, serverPort);
        assertEquals(Map.of("ndb-data", serverPort), manifests.workload("ndb-data").namedPorts());
        assertEquals(serverPort, manifests.named(Service.class, "ndb-data").getSpec().getPorts().get(0).getPort());
        NetworkPolicy policy = manifests.named(NetworkPolicy.class, "ndb-data");
        assertEquals(serverPort, policy.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal());

        String connectstring = manifests.configMapEntry("ndb-connectstring", "connectstring");
        assertEquals("ndb-mgmd-0.ndb-mgmd:1186", connectstring);
        assertEquals(Map.of("ndb-mgm", 1186), manifests.workload("ndb-mgmd").namedPorts());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void clusterMembersArePublishedBeforeTheyAreReady(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        for (String name : List.of("ndb-mgmd", "ndb-data", "ndb-sql")) {
            Service service = manifests.named(Service.class, name);
            assertEquals("None", service.getSpec().getClusterIP(), name + " is headless");
            assertEquals(Boolean.TRUE, service.getSpec().getPublishNotReadyAddresses(),
                    name + ": a node resolves its own host name before it can become ready");
            assertEquals(name, manifests.named(StatefulSet.class, name).getSpec().getServiceName());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everyNdbPodRunsTheSamePinnedClusterImageAsTheMysqlAccount(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        for (String name : List.of("ndb-mgmd", "ndb-data", "ndb-sql")) {
            Workload workload = manifests.workload(name);
            for (Container container : workload.allContainers()) {
                assertEquals("container-registry.oracle.com/mysql/community-cluster:8.4.3", container.getImage());
            }
            assertEquals(27L, workload.pod().getSecurityContext().getRunAsUser());
        }
        assertEquals("container-registry.oracle.com/mysql/community-server:8.4.3",
                manifests.workload("mysql-standalone").container("mysqld").getImage());
    }

    private static int nodeIdBase(Manifests manifests, String workload, String container) {
        return Integer.parseInt(Objects.requireNonNullElse(
                        manifests.workload(workload).container(container).getEnv(), List.<EnvVar>of()).stream()
                .filter(env -> env.getName().equals("NDB_NODE_ID_BASE"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError(workload + " sets NDB_NODE_ID_BASE")));
    }

    private static boolean toleratesDataNodeTaint(Toleration toleration) {
        boolean keyMatches = ROLE_KEY.equals(toleration.getKey());
        boolean valueMatches = "Exists".equals(toleration.getOperator()) || ROLE_VALUE.equals(toleration.getValue());
        boolean effectMatches = toleration.getEffect() == null || "NoSchedule".equals(toleration.getEffect());
        return keyMatches && valueMatches && effectMatches;
    }

    private static boolean requiresDataNodeLabel(NodeSelectorRequirement requirement) {
        return ROLE_KEY.equals(requirement.getKey()) && "In".equals(requirement.getOperator())
                && List.of(ROLE_VALUE).equals(requirement.getValues());
    }
}
