package io.sqlgate.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A Deployment, StatefulSet or Job, reduced to what the checks look at: its pod template. */
record Workload(String kind, String name, String namespace, Integer replicas, PodTemplateSpec template) {

    boolean isJob() {
        return kind.equals("Job");
    }

    PodSpec pod() {
        return template.getSpec();
    }

    Map<String, String> podLabels() {
        return Objects.requireNonNullElse(template.getMetadata().getLabels(), Map.of());
    }

    List<Container> initContainers() {
        return Objects.requireNonNullElse(pod().getInitContainers(), List.of());
    }

    List<Container> containers() {
        return pod().getContainers();
    }

    List<Container> allContainers() {
        List<Container> all = new ArrayList<>(initContainers());
        all.addAll(containers());
        return all;
    }

    Container container(String containerName) {
        return allContainers().stream()
                .filter(container -> container.getName().equals(containerName))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " has no container " + containerName));
    }

    /** Ports the pod's containers declare, by name (named ports only). */
    Map<String, Integer> namedPorts() {
        Map<String, Integer> ports = new HashMap<>();
        for (ContainerPort port : declaredPorts()) {
            if (port.getName() != null) {
                ports.put(port.getName(), port.getContainerPort());
            }
        }
        return ports;
    }

    List<ContainerPort> declaredPorts() {
        List<ContainerPort> ports = new ArrayList<>();
        for (Container container : containers()) {
            ports.addAll(Objects.requireNonNullElse(container.getPorts(), List.of()));
        }
        return ports;
    }

    @Override
    public String toString() {
        return kind + "/" + name;
    }
}
