package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One container of the rendered manifests, run on this machine: the ConfigMap volumes it mounts are
 * written under a temporary root (so its scripts are the ones the pod gets, next to the files they read),
 * its environment is resolved from the rendered ConfigMaps and Secrets, {@code HOSTNAME} is the pod's
 * name, and stub programs come first on {@code PATH}. A command's arguments that name a file under a
 * mount are rewritten to the copy under the root; everything else runs as the container would run it.
 * Stubs find {@code $LOG_DIR} in their environment to record what they were asked.
 */
final class PodSandbox {

    private static final long TIMEOUT_SECONDS = 60;

    private final Path root;
    private final Path bin;
    private final Path logs;
    private final Container container;
    private final Map<String, String> mounts = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();

    record Result(int exitCode, String output) {
    }

    PodSandbox(Path root, Manifests manifests, String workload, String containerName, String podName) {
        this.root = root;
        this.bin = root.resolve("stub-bin");
        this.logs = root.resolve("log");
        Workload pod = manifests.workload(workload);
        this.container = pod.container(containerName);
        try {
            Files.createDirectories(bin);
            Files.createDirectories(logs);
            writeConfigMapMounts(manifests, pod);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        resolveEnvironment(manifests);
        env.put("HOSTNAME", podName);
        env.put("LOG_DIR", logs.toString());
        env.put("PATH", bin + ":" + System.getenv("PATH"));
    }

    Container container() {
        return container;
    }

    /** Sets (or overrides) an environment variable of the runs, for the stubs or the container. */
    PodSandbox env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** A program on PATH ahead of the real ones: a bash script. */
    PodSandbox stub(String program, String script) {
        Path file = bin.resolve(program);
        try {
            Files.writeString(file, "#!/bin/bash\n" + script);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A stub that records its arguments, one per line, in $LOG_DIR/PROGRAM.args and exits 0. */
    PodSandbox recorder(String program) {
        return stub(program, "printf '%s\\n' \"$@\" > \"$LOG_DIR/" + program + ".args\"\n");
    }

    /** The arguments a {@link #recorder} was called with, or null when it was not called. */
    List<String> recorded(String program) {
        Path file = logs.resolve(program + ".args");
        if (!Files.exists(file)) {
            return null;
        }
        return read(file).lines().toList();
    }

    /** A file a stub wrote under $LOG_DIR, empty when it wrote none. */
    String log(String name) {
        Path file = logs.resolve(name);
        return Files.exists(file) ? read(file) : "";
    }

    /** Where a path of the container's file system is under the root, when it lies on a ConfigMap mount. */
    Path local(String containerPath) {
        for (Map.Entry<String, String> mount : mounts.entrySet()) {
            if (containerPath.startsWith(mount.getKey() + "/")) {
                return root.resolve(mount.getValue() + containerPath.substring(mount.getKey().length()));
            }
        }
        return fail(containerPath + " is on no ConfigMap mount of " + container.getName());
    }

    /** The container's own command and arguments. */
    Result runContainer() {
        List<String> command = new ArrayList<>(Objects.requireNonNullElse(container.getCommand(), List.of()));
        command.addAll(Objects.requireNonNullElse(container.getArgs(), List.of()));
        return run(command);
    }

    /** The container's readiness probe's command. */
    Result runReadinessProbe() {
        return run(container.getReadinessProbe().getExec().getCommand());
    }

    Result run(List<String> command) {
        List<String> rewritten = command.stream()
                .map(argument -> onMount(argument) ? local(argument).toString() : argument)
                .toList();
        ProcessBuilder builder = new ProcessBuilder(rewritten).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted running " + command);
        }
    }

    private boolean onMount(String argument) {
        return mounts.keySet().stream().anyMatch(mount -> argument.startsWith(mount + "/"));
    }

    private void writeConfigMapMounts(Manifests manifests, Workload pod) throws IOException {
        for (VolumeMount mount : Objects.requireNonNullElse(container.getVolumeMounts(), List.<VolumeMount>of())) {
            Volume volume = pod.pod().getVolumes().stream()
                    .filter(candidate -> candidate.getName().equals(mount.getName()))
                    .findFirst().orElse(null);
            if (volume == null || volume.getConfigMap() == null) {
                continue;
            }
            ConfigMap map = manifests.all(ConfigMap.class).stream()
                    .filter(candidate -> candidate.getMetadata().getName().equals(volume.getConfigMap().getName()))
                    .findFirst()
                    .orElseGet(() -> fail("no ConfigMap " + volume.getConfigMap().getName()));
            Map<String, String> files = new LinkedHashMap<>();
            List<KeyToPath> items = volume.getConfigMap().getItems();
            if (items == null || items.isEmpty()) {
                map.getData().forEach(files::put);
            } else {
                for (KeyToPath item : items) {
                    files.put(item.getPath(), map.getData().get(item.getKey()));
                }
            }
            String local = "mnt" + mount.getMountPath();
            Path dir = Files.createDirectories(root.resolve(local));
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(dir.resolve(file.getKey()), file.getValue());
            }
            mounts.put(mount.getMountPath(), local);
        }
    }

    private void resolveEnvironment(Manifests manifests) {
        for (EnvFromSource source : Objects.requireNonNullElse(container.getEnvFrom(), List.<EnvFromSource>of())) {
            if (source.getConfigMapRef() != null) {
                env.putAll(configMapNamed(manifests, source.getConfigMapRef().getName()).getData());
            }
        }
        for (EnvVar variable : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            if (variable.getValueFrom() == null) {
                env.put(variable.getName(), variable.getValue());
            } else if (variable.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = variable.getValueFrom().getConfigMapKeyRef();
                env.put(variable.getName(), configMapNamed(manifests, ref.getName()).getData().get(ref.getKey()));
            } else if (variable.getValueFrom().getSecretKeyRef() != null) {
                var ref = variable.getValueFrom().getSecretKeyRef();
                Secret secret = manifests.all(Secret.class).stream()
                        .filter(candidate -> candidate.getMetadata().getName().equals(ref.getName()))
                        .findFirst().orElseGet(() -> fail("no Secret " + ref.getName()));
                env.put(variable.getName(), Manifests.decoded(secret).get(ref.getKey()));
            }
        }
    }

    private static ConfigMap configMapNamed(Manifests manifests, String name) {
        return manifests.all(ConfigMap.class).stream()
                .filter(candidate -> candidate.getMetadata().getName().equals(name))
                .findFirst().orElseGet(() -> fail("no ConfigMap " + name));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
