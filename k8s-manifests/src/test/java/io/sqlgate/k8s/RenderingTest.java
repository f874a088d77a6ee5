package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kustomization renders, offline, into objects fabric8 knows, all in the sqlgate namespace. */
class RenderingTest {

    static List<Variant> deployable() {
        return Variant.deployable();
    }

    @Test
    void theRootTheSingleNodeOverlayAndTheirBenchmarkOverlaysAreDeployable() {
        assertEquals(List.of("root", "overlays/benchmark", "overlays/single-node", "overlays/single-node-benchmark"),
                deployable().stream().map(Variant::name).toList());
    }

    /** The benchmark's objects: kind/name, generated names without their hash. */
    private static final Set<String> BENCHMARK = Set.of("Job/sysbench", "ServiceAccount/sysbench",
            "NetworkPolicy/sysbench", "ConfigMap/sysbench");

    @Test
    void theBenchmarkIsOptInAndItsOverlaysAddNothingElse() {
        Variant root = Variant.root();
        Variant singleNode = Variant.singleNodeOverlay();
        for (Variant variant : deployable()) {
            Set<String> objects = ids(Manifests.of(variant).all());
            if (!variant.benchmark()) {
                Set<String> present = new TreeSet<>(objects);
                present.retainAll(BENCHMARK);
                assertEquals(Set.of(), present, variant + ": a routine apply never runs the benchmark");
                continue;
            }
            Variant without = variant.singleNode() ? singleNode : root;
            Set<String> expected = new TreeSet<>(ids(Manifests.of(without).all()));
            expected.addAll(BENCHMARK);
            assertEquals(expected, objects, variant + " is " + without + " and the benchmark");
            // The objects both have are the same objects.
            Map<String, HasMetadata> before = byId(Manifests.of(without).all());
            Map<String, HasMetadata> after = byId(Manifests.of(variant).all());
            before.forEach((id, object) -> assertEquals(object, after.get(id), variant + ": " + id));
        }
    }

    @Test
    void theBaseRendersOnItsOwn() {
        List<HasMetadata> objects = Kustomize.parse(Kustomize.render(Variant.manifestsDir().resolve("base")));
        assertFalse(objects.isEmpty());
        assertTrue(objects.stream().noneMatch(NetworkPolicy.class::isInstance),
                "the NetworkPolicies belong to their component, not to the base");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everyObjectParsesIntoItsModelType(Variant variant) {
        List<HasMetadata> objects = Manifests.of(variant).all();
        List<String> untyped = objects.stream()
                .filter(GenericKubernetesResource.class::isInstance)
                .map(object -> object.getKind() + "/" + object.getMetadata().getName())
                .toList();
        assertEquals(List.of(), untyped, "objects fabric8 does not know as a typed kind");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everythingLivesInTheSqlgateNamespace(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        assertEquals(Variant.NAMESPACE, manifests.named(Namespace.class, Variant.NAMESPACE).getMetadata().getName());
        List<String> elsewhere = manifests.all().stream()
                .filter(object -> !(object instanceof Namespace))
                .filter(object -> !Variant.NAMESPACE.equals(object.getMetadata().getNamespace()))
                .map(object -> object.getKind() + "/" + object.getMetadata().getName())
                .toList();
        assertEquals(List.of(), elsewhere);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void theExpectedWorkloadsAreThere(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        Map<String, String> workloads = new TreeMap<>();
        manifests.workloads().forEach(workload -> workloads.put(workload.name(), workload.kind()));
        Map<String, String> expected = new TreeMap<>(Map.of(
                "gatekeeper", "Deployment",
                "trusted-host", "Deployment",
                "proxy", "Deployment",
                "ndb-mgmd", "StatefulSet",
                "ndb-data", "StatefulSet",
                "ndb-sql", "StatefulSet",
                "mysql-standalone", "StatefulSet",
                "schema", "Job"));
        if (variant.benchmark()) {
            expected.put("sysbench", "Job");
        }
        assertEquals(expected, workloads);
        assertEquals(3, manifests.all(Deployment.class).size());
        assertEquals(4, manifests.all(StatefulSet.class).size());
        assertEquals(variant.benchmark() ? 2 : 1, manifests.all(Job.class).size());
    }

    private static Set<String> ids(List<HasMetadata> objects) {
        return new TreeSet<>(byId(objects).keySet());
    }

    private static Map<String, HasMetadata> byId(List<HasMetadata> objects) {
        Map<String, HasMetadata> byId = new TreeMap<>();
        objects.forEach(object -> byId.put(
                object.getKind() + "/" + Manifests.generatorName(object.getMetadata().getName()), object));
        return byId;
    }

    @Test
    void onlyTheEc2ClusterPublishesTheGatekeeperOnNodePort30080() {
        Service nodePort = Manifests.of(Variant.root()).named(Service.class, "gatekeeper-nodeport");
        assertEquals("NodePort", nodePort.getSpec().getType());
        assertEquals(30080, nodePort.getSpec().getPorts().get(0).getNodePort());
        assertEquals(Map.of("app.kubernetes.io/name", "gatekeeper"), nodePort.getSpec().getSelector());

        Set<String> exposed = Manifests.of(Variant.singleNodeOverlay()).all(Service.class).stream()
                .filter(service -> !"ClusterIP".equals(service.getSpec().getType())
                        && service.getSpec().getType() != null)
                .map(service -> service.getMetadata().getName())
                .collect(Collectors.toSet());
        assertEquals(Set.of(), exposed, "the single-node overlay reaches the gatekeeper by port-forward");
        assertEquals("ClusterIP",
                Manifests.of(Variant.root()).named(Service.class, "gatekeeper").getSpec().getType());
    }
}
