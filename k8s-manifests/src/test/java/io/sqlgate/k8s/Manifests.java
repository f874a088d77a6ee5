package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The typed objects a kustomization renders to. */
final class Manifests {

    /** kustomize appends a ten-character content hash to generated ConfigMap and Secret names. */
    private static final Pattern HASH_SUFFIX = Pattern.compile("-[a-z0-9]{10}$");
    private static final Map<Variant, Manifests> CACHE = new ConcurrentHashMap<>();

    private final Variant variant;
    private final List<HasMetadata> objects;

    private Manifests(Variant variant, List<HasMetadata> objects) {
        this.variant = variant;
        this.objects = List.copyOf(objects);
    }

    static Manifests of(Variant variant) {
        return CACHE.computeIfAbsent(variant,
                v -> new Manifests(v, Kustomize.parse(Kustomize.render(v.dir()))));
    }

    Variant variant() {
        return variant;
    }

    List<HasMetadata> all() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream()
                .filter(object -> object.getMetadata().getName().equals(name))
                .findFirst()
                .orElseGet(() -> fail(variant + ": no " + type.getSimpleName() + " named " + name));
    }

    /** A generated ConfigMap by the name its generator gives (without the hash suffix). */
    ConfigMap configMap(String generatorName) {
        return generated(ConfigMap.class, generatorName);
    }

    Secret secret(String generatorName) {
        return generated(Secret.class, generatorName);
    }

    String configMapEntry(String generatorName, String key) {
        String value = configMap(generatorName).getData().get(key);
        if (value == null) {
            fail(variant + ": ConfigMap " + generatorName + " has no key " + key);
        }
        return value;
    }

    /** A Secret's entries, decoded. */
    static Map<String, String> decoded(Secret secret) {
        Map<String, String> values = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) ->
                    values.put(key, new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }

    static String generatorName(String renderedName) {
        return HASH_SUFFIX.matcher(renderedName).replaceFirst("");
    }

    List<Workload> workloads() {
        return workloadsOf(objects);
    }

    /** The Deployments, StatefulSets and Jobs among rendered objects. */
    static List<Workload> workloadsOf(List<HasMetadata> objects) {
        List<Workload> workloads = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof Deployment d) {
                workloads.add(new Workload("Deployment", d.getMetadata().getName(), d.getMetadata().getNamespace(),
                        d.getSpec().getReplicas(), d.getSpec().getTemplate()));
            }
        }
        for (HasMetadata object : objects) {
            if (object instanceof StatefulSet s) {
                workloads.add(new Workload("StatefulSet", s.getMetadata().getName(), s.getMetadata().getNamespace(),
                        s.getSpec().getReplicas(), s.getSpec().getTemplate()));
            }
        }
        for (HasMetadata object : objects) {
            if (object instanceof Job j) {
                workloads.add(new Workload("Job", j.getMetadata().getName(), j.getMetadata().getNamespace(),
                        null, j.getSpec().getTemplate()));
            }
        }
        return workloads;
    }

    Workload workload(String name) {
        return workloads().stream()
                .filter(workload -> workload.name().equals(name))
                .findFirst()
                .orElseGet(() -> fail(variant + ": no workload named " + name));
    }

    private <T extends HasMetadata> T generated(Class<T> type, String generatorName) {
        List<T> matches = all(type).stream()
                .filter(object -> generatorName(object.getMetadata().getName()).equals(generatorName))
                .toList();
        if (matches.size() != 1) {
            fail(variant + ": expected one " + type.getSimpleName() + " generated as " + generatorName
                    + ", found " + matches.size());
        }
        return matches.get(0);
    }
}
