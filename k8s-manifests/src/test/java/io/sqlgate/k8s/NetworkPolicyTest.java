package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.sqlgate.k8s.NetworkPolicyEvaluator.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NetworkPolicies admit exactly sqlgate's flows. The evaluator answers "can A reach B on port P"
 * for every pair of endpoints and every port any container declares (plus DNS), and the full matrix is
 * compared with the intended one, so a flow that opens by accident fails as surely as one that closes.
 */
class NetworkPolicyTest {

    private static final String OUTSIDE = "outside-client";
    private static final String OTHER_NAMESPACE = "pod-in-another-namespace";
    private static final String KUBE_DNS = "kube-dns";

    /** The intended flows, for every deployable variant. */
    private static final Set<String> INTENDED = new TreeSet<>(List.of(
            OUTSIDE + " -> gatekeeper:8080/TCP",
            OTHER_NAMESPACE + " -> gatekeeper:8080/TCP",
            "gatekeeper -> trusted-host:8080/TCP",
            "trusted-host -> proxy:8080/TCP",
            "proxy -> ndb-sql:3306/TCP",
            "sysbench -> ndb-sql:3306/TCP",
            "sysbench -> mysql-standalone:3306/TCP",
            "schema -> ndb-sql:3306/TCP",
            "schema -> mysql-standalone:3306/TCP",
            "ndb-data -> ndb-mgmd:1186/TCP",
            "ndb-sql -> ndb-mgmd:1186/TCP",
            "ndb-mgmd -> ndb-data:11860/TCP",
            "ndb-data -> ndb-data:11860/TCP",
            "ndb-sql -> ndb-data:11860/TCP"));

    static {
        for (String workload : List.of("gatekeeper", "trusted-host", "proxy", "ndb-mgmd", "ndb-data", "ndb-sql",
                "mysql-standalone", "schema", "sysbench")) {
            INTENDED.add(workload + " -> " + KUBE_DNS + ":53/UDP");
            INTENDED.add(workload + " -> " + KUBE_DNS + ":53/TCP");
        }
    }

    static List<Variant> deployable() {
        return Variant.deployable();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void theFlowMatrixIsExactlyTheIntendedOne(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        NetworkPolicyEvaluator evaluator = new NetworkPolicyEvaluator(manifests.all(NetworkPolicy.class));
        List<Endpoint> pods = workloadEndpoints(manifests);

        List<Endpoint> sources = new ArrayList<>(pods);
        sources.add(otherNamespacePod());
        sources.add(Endpoint.outside(OUTSIDE));
        List<Endpoint> destinations = new ArrayList<>(pods);
        destinations.add(kubeDns());

        Set<Integer> ports = new TreeSet<>(List.of(53, 22, 80, 443));
        manifests.workloads().forEach(w -> w.declaredPorts().forEach(p -> ports.add(p.getContainerPort())));

        Set<String> actual = new TreeSet<>();
        for (Endpoint from : sources) {
            for (Endpoint to : destinations) {
                if (to.name().equals(KUBE_DNS) && !Variant.NAMESPACE.equals(from.namespace())) {
                    continue; // kube-system's own policies decide that, not sqlgate's
                }
                for (int port : ports) {
                    for (String protocol : List.of("TCP", "UDP")) {
                        if (evaluator.canReach(from, to, port, protocol)) {
                            actual.add(from.name() + " -> " + to.name() + ":" + port + "/" + protocol);
                        }
                    }
                }
            }
        }
        Set<String> workloads = pods.stream().map(Endpoint::name).collect(Collectors.toSet());
        // Flows of the benchmark where it is deployed (components/benchmark), and only there.
        Set<String> intended = INTENDED.stream()
                .filter(flow -> !flow.contains("sysbench") || workloads.contains("sysbench"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(String.join("\n", intended), String.join("\n", actual));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everyWorkloadIsIsolatedBothWaysAndHasAPolicyNamedAfterIt(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        NetworkPolicyEvaluator evaluator = new NetworkPolicyEvaluator(manifests.all(NetworkPolicy.class));
        for (Endpoint pod : workloadEndpoints(manifests)) {
            assertTrue(evaluator.isolatedForIngress(pod), pod.name() + " is isolated for ingress");
            assertTrue(evaluator.isolatedForEgress(pod), pod.name() + " is isolated for egress");
            Set<String> own = evaluator.selecting(pod, "Ingress").stream()
                    .map(policy -> policy.getMetadata().getName())
                    .filter(name -> !name.equals("default-deny-all"))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(pod.name()), own, "policies (besides the default deny) selecting " + pod.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void thePoliciesAreTheDenyAllDnsAndOnePerWorkload(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        Set<String> expected = new TreeSet<>(List.of("default-deny-all", "allow-dns"));
        manifests.workloads().forEach(workload -> expected.add(workload.name()));
        Set<String> actual = manifests.all(NetworkPolicy.class).stream()
                .map(policy -> policy.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, actual);

        NetworkPolicy deny = manifests.named(NetworkPolicy.class, "default-deny-all");
        assertTrue(deny.getSpec().getPodSelector().getMatchLabels() == null
                || deny.getSpec().getPodSelector().getMatchLabels().isEmpty());
        assertEquals(List.of("Ingress", "Egress"), deny.getSpec().getPolicyTypes());
        assertTrue(deny.getSpec().getIngress() == null || deny.getSpec().getIngress().isEmpty());
        assertTrue(deny.getSpec().getEgress() == null || deny.getSpec().getEgress().isEmpty());

        assertFalse(manifests.all(NetworkPolicy.class).stream()
                        .flatMap(policy -> Objects.requireNonNullElse(policy.getSpec().getIngress(),
                                List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule>of()).stream())
                        .flatMap(rule -> Objects.requireNonNullElse(rule.getFrom(),
                                List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer>of()).stream())
                        .anyMatch(peer -> peer.getIpBlock() != null),
                "no ipBlock: peers are named by label");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void theGatekeeperServesHealthAndMetricsOnlyOnAManagementPortThatNoClientReaches(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        Workload gatekeeper = manifests.workload("gatekeeper");
        Container container = gatekeeper.container("gatekeeper");
        assertEquals(Map.of("http", 8080, "management", 8081), gatekeeper.namedPorts());
        assertEquals("8081", WorkloadHardeningTest.env(container, "ENDPOINTS_ALL_PORT"),
                "Micronaut serves every management endpoint (/health, /prometheus) on endpoints.all.port alone");
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
            assertEquals("management", probe.getHttpGet().getPort().getStrVal(), probe.toString());
        }

        List<String> published = new ArrayList<>();
        for (Service service : manifests.all(Service.class)) {
            if (Selectors.matches(service.getSpec().getSelector(), gatekeeper.podLabels())) {
                service.getSpec().getPorts().forEach(port -> published.add(service.getMetadata().getName() + ":"
                        + (port.getTargetPort().getStrVal() != null ? port.getTargetPort().getStrVal() : port.getTargetPort().getIntVal())));
            }
        }
        assertEquals(variant.singleNode() ? List.of("gatekeeper:http") : List.of("gatekeeper-nodeport:http", "gatekeeper:http"),
                published.stream().sorted().toList(), "Services publish the public port only");

        NetworkPolicyEvaluator evaluator = new NetworkPolicyEvaluator(manifests.all(NetworkPolicy.class));
        Endpoint target = NetworkPolicyTest.workloadEndpoints(manifests).stream()
                .filter(endpoint -> endpoint.name().equals("gatekeeper")).findFirst().orElseThrow();
        List<Endpoint> callers = new ArrayList<>(NetworkPolicyTest.workloadEndpoints(manifests));
        callers.add(NetworkPolicyTest.otherNamespacePod());
        callers.add(Endpoint.outside("outside-client"));
        for (Endpoint caller : callers) {
            assertFalse(evaluator.canReach(caller, target, 8081, "TCP"), caller.name() + " reaches the management port");
        }
        assertTrue(evaluator.canReach(Endpoint.outside("outside-client"), target, 8080, "TCP"));
    }

    static List<Endpoint> workloadEndpoints(Manifests manifests) {
        Map<String, String> namespaceLabels = new HashMap<>();
        Namespace namespace = manifests.named(Namespace.class, Variant.NAMESPACE);
        if (namespace.getMetadata().getLabels() != null) {
            namespaceLabels.putAll(namespace.getMetadata().getLabels());
        }
        // Set by the API server on every namespace.
        namespaceLabels.put("kubernetes.io/metadata.name", Variant.NAMESPACE);
        List<Endpoint> endpoints = new ArrayList<>();
        for (Workload workload : manifests.workloads()) {
            Map<String, Integer> named = new HashMap<>();
            for (ContainerPort port : workload.declaredPorts()) {
                if (port.getName() != null) {
                    named.put(port.getName(), port.getContainerPort());
                }
            }
            endpoints.add(Endpoint.pod(workload.name(), workload.namespace(), namespaceLabels,
                    workload.podLabels(), named));
        }
        return endpoints;
    }

    static Endpoint otherNamespacePod() {
        return Endpoint.pod(OTHER_NAMESPACE, "default", Map.of("kubernetes.io/metadata.name", "default"),
                Map.of("app.kubernetes.io/name", "gatekeeper", "run", "curl"), Map.of());
    }

    /** CoreDNS as k3s deploys it. */
    static Endpoint kubeDns() {
        return Endpoint.pod(KUBE_DNS, "kube-system", Map.of("kubernetes.io/metadata.name", "kube-system"),
                Map.of("k8s-app", "kube-dns"), Map.of("dns", 53, "dns-tcp", 53));
    }
}
