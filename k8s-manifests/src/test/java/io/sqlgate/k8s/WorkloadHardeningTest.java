package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every container is locked down (non-root fixed UID, read-only root file system, no capabilities, no
 * privilege escalation, RuntimeDefault seccomp), sized (requests and limits), probed (Jobs excepted),
 * and runs a pinned image; the tiers follow the contract with their images.
 */
class WorkloadHardeningTest {

    private static final List<String> TIERS = List.of("gatekeeper", "trusted-host", "proxy");

    static List<Variant> deployable() {
        return Variant.deployable();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void noContainerCanRunAsRoot(Variant variant) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : Manifests.of(variant).workloads()) {
            PodSecurityContext pod = Objects.requireNonNullElseGet(
                    workload.pod().getSecurityContext(), PodSecurityContext::new);
            for (Container container : workload.allContainers()) {
                SecurityContext own = Objects.requireNonNullElseGet(container.getSecurityContext(), SecurityContext::new);
                String where = workload + "/" + container.getName();
                Boolean nonRoot = first(own.getRunAsNonRoot(), pod.getRunAsNonRoot());
                Long user = first(own.getRunAsUser(), pod.getRunAsUser());
                Long group = first(own.getRunAsGroup(), pod.getRunAsGroup());
                if (!Boolean.TRUE.equals(nonRoot)) {
                    problems.add(where + ": runAsNonRoot is not true");
                }
                if (user == null || user == 0) {
                    problems.add(where + ": no fixed non-root runAsUser (" + user + ")");
                }
                if (group == null || group == 0) {
                    problems.add(where + ": no fixed non-root runAsGroup (" + group + ")");
                }
                if (Boolean.TRUE.equals(own.getPrivileged())) {
                    problems.add(where + ": privileged");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everyContainerIsLockedDown(Variant variant) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : Manifests.of(variant).workloads()) {
            PodSpec pod = workload.pod();
            if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                    || Boolean.TRUE.equals(pod.getHostIPC())) {
                problems.add(workload + ": shares a host namespace");
            }
            PodSecurityContext podContext = Objects.requireNonNullElseGet(pod.getSecurityContext(), PodSecurityContext::new);
            for (Container container : workload.allContainers()) {
                String where = workload + "/" + container.getName();
                SecurityContext own = container.getSecurityContext();
                if (own == null) {
                    problems.add(where + ": no securityContext");
                    continue;
                }
                if (!Boolean.FALSE.equals(own.getAllowPrivilegeEscalation())) {
                    problems.add(where + ": allowPrivilegeEscalation is not false");
                }
                if (!Boolean.TRUE.equals(own.getReadOnlyRootFilesystem())) {
                    problems.add(where + ": root file system is writable");
                }
                if (own.getCapabilities() == null || own.getCapabilities().getDrop() == null
                        || !own.getCapabilities().getDrop().contains("ALL")) {
                    problems.add(where + ": does not drop ALL capabilities");
                } else if (own.getCapabilities().getAdd() != null && !own.getCapabilities().getAdd().isEmpty()) {
                    problems.add(where + ": adds capabilities " + own.getCapabilities().getAdd());
                }
                SeccompProfile seccomp = first(own.getSeccompProfile(), podContext.getSeccompProfile());
                if (seccomp == null || !"RuntimeDefault".equals(seccomp.getType())) {
                    problems.add(where + ": seccomp profile is not RuntimeDefault");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everyPodHasItsOwnServiceAccountWithoutAToken(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        List<String> problems = new ArrayList<>();
        for (Workload workload : manifests.workloads()) {
            if (!workload.name().equals(workload.pod().getServiceAccountName())) {
                problems.add(workload + ": runs as service account " + workload.pod().getServiceAccountName());
            }
            if (!Boolean.FALSE.equals(workload.pod().getAutomountServiceAccountToken())) {
                problems.add(workload + ": pod mounts a service account token");
            }
            if (!Boolean.FALSE.equals(workload.pod().getEnableServiceLinks())) {
                problems.add(workload + ": service links inject environment variables");
            }
        }
        for (ServiceAccount account : manifests.all(ServiceAccount.class)) {
            if (!Boolean.FALSE.equals(account.getAutomountServiceAccountToken())) {
                problems.add("ServiceAccount/" + account.getMetadata().getName() + " mounts its token");
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(manifests.workloads().size(), manifests.all(ServiceAccount.class).size(),
                "one ServiceAccount per workload");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everyContainerHasRequestsAndLimits(Variant variant) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : Manifests.of(variant).workloads()) {
            for (Container container : workload.allContainers()) {
                String where = workload + "/" + container.getName();
                ResourceRequirements resources = container.getResources();
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = resources == null ? null : value(resources.getRequests(), resource);
                    Quantity limit = resources == null ? null : value(resources.getLimits(), resource);
                    if (request == null || limit == null) {
                        problems.add(where + ": " + resource + " request or limit missing");
                    } else if (request.getNumericalAmount().compareTo(limit.getNumericalAmount()) > 0) {
                        problems.add(where + ": " + resource + " request " + request + " above limit " + limit);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everyLongRunningContainerHasProbes(Variant variant) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : Manifests.of(variant).workloads()) {
            if (workload.isJob()) {
                continue;
            }
            for (Container container : workload.containers()) {
                String where = workload + "/" + container.getName();
                if (container.getLivenessProbe() == null) {
                    problems.add(where + ": no liveness probe");
                }
                if (container.getReadinessProbe() == null) {
                    problems.add(where + ": no readiness probe");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everyImageIsPinned(Variant variant) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : Manifests.of(variant).workloads()) {
            for (Container container : workload.allContainers()) {
                String image = container.getImage();
                if (!pinned(image)) {
                    problems.add(workload + "/" + container.getName() + ": image " + image + " is not pinned");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void everyImageNamesTheRegistryItComesFrom(Variant variant) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : Manifests.of(variant).workloads()) {
            for (Container container : workload.allContainers()) {
                if (!qualified(container.getImage())) {
                    problems.add(workload + "/" + container.getName() + ": " + container.getImage()
                            + " names no registry host, so a node without it would pull it from docker.io");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void theTiersRunTheirImagesAsTheContractSays(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        for (String tier : TIERS) {
            Workload workload = manifests.workload(tier);
            Container container = workload.container(tier);
            assertEquals("localhost/sqlgate/" + tier + ":0.1.0", container.getImage());
            assertEquals(10001L, workload.pod().getSecurityContext().getRunAsUser());
            assertEquals(10001L, workload.pod().getSecurityContext().getRunAsGroup());
            // The gatekeeper's management endpoints have a port of their own (NetworkPolicyTest).
            assertEquals(tier.equals("gatekeeper") ? Map.of("http", 8080, "management", 8081) : Map.of("http", 8080),
                    workload.namedPorts());
            assertEquals("8080", env(container, "MICRONAUT_SERVER_PORT"));
            String javaOptions = env(container, "JAVA_TOOL_OPTIONS");
            assertTrue(javaOptions.contains("-XX:+UseSerialGC"), javaOptions);
            assertTrue(javaOptions.contains("-XX:MaxRAMPercentage="), javaOptions);
            assertEquals("/health/liveness", container.getLivenessProbe().getHttpGet().getPath());
            assertEquals("/health/readiness", container.getReadinessProbe().getHttpGet().getPath());
            assertNotNull(container.getStartupProbe(), tier + " start-up is covered by a startupProbe");
            assertEquals(new Quantity("384Mi"), container.getResources().getLimits().get("memory"));
            assertWritableTmp(workload, container);
        }
        assertEquals("Never".equals(pullPolicy(manifests, "gatekeeper")), variant.singleNode(),
                "locally imported images are never pulled on a single node, and pulled otherwise");
    }

    static List<Variant> withBenchmark() {
        return Variant.deployable().stream().filter(Variant::benchmark).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withBenchmark")
    void theBenchmarkJobRunsItsImageWithTheContractsArguments(Variant variant) {
        Workload job = Manifests.of(variant).workload("sysbench");
        Container runner = job.container("sysbench");
        assertEquals("localhost/sqlgate/sysbench-job:0.1.0", runner.getImage());
        assertEquals(List.of("--config", "/etc/sysbench-job/targets.yaml", "--out", "/tmp/sysbench-report"),
                runner.getArgs());
        assertTrue(runner.getCommand() == null || runner.getCommand().isEmpty(),
                "the image's entrypoint starts the runner");
        assertEquals(10001L, runner.getSecurityContext().getRunAsUser());
        assertWritableTmp(job, runner);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployable")
    void replicasFitTheCluster(Variant variant) {
        Manifests manifests = Manifests.of(variant);
        Map<String, Integer> expected = variant.singleNode()
                ? Map.of("gatekeeper", 1, "trusted-host", 1, "proxy", 1, "ndb-mgmd", 1, "ndb-data", 1,
                        "ndb-sql", 1, "mysql-standalone", 1)
                : Map.of("gatekeeper", 2, "trusted-host", 2, "proxy", 2, "ndb-mgmd", 1, "ndb-data", 2,
                        "ndb-sql", 3, "mysql-standalone", 1);
        expected.forEach((name, replicas) ->
                assertEquals(replicas, manifests.workload(name).replicas(), variant + ": replicas of " + name));
    }

    private static void assertWritableTmp(Workload workload, Container container) {
        VolumeMount tmp = container.getVolumeMounts().stream()
                .filter(mount -> mount.getMountPath().equals("/tmp"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(workload + ": no volume on /tmp"));
        assertFalse(Boolean.TRUE.equals(tmp.getReadOnly()));
        Volume volume = workload.pod().getVolumes().stream()
                .filter(v -> v.getName().equals(tmp.getName()))
                .findFirst()
                .orElseThrow();
        assertNotNull(volume.getEmptyDir(), workload + ": /tmp is an emptyDir");
    }

    private static String pullPolicy(Manifests manifests, String tier) {
        return manifests.workload(tier).container(tier).getImagePullPolicy();
    }

    static String env(Container container, String name) {
        return Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of()).stream()
                .filter(env -> env.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no literal env " + name));
    }

    /** A tag other than latest, or a digest. */
    static boolean pinned(String image) {
        if (image == null) {
            return false;
        }
        if (image.contains("@sha256:")) {
            return true;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return false;
        }
        String tag = image.substring(colon + 1);
        return !tag.isBlank() && !tag.equals("latest");
    }

    /**
     * Whether an image reference names its registry: its first component is a host (it holds a dot or a
     * port, or is localhost), as the container runtime reads it. Anything else (sqlgate/gatekeeper) is
     * docker.io's, where whoever owns that namespace decides what a node pulls.
     */
    static boolean qualified(String image) {
        if (image == null || !image.contains("/")) {
            return false;
        }
        String first = image.substring(0, image.indexOf('/'));
        return first.contains(".") || first.contains(":") || first.equals("localhost");
    }

    private static Quantity value(Map<String, Quantity> values, String key) {
        return values == null ? null : values.get(key);
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }
}
