package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders a kustomization with {@code kubectl kustomize} (offline: kustomize is built into kubectl) and
 * reads every object into its fabric8 model type. Only the model jars are needed for that: their
 * {@code KubernetesResource} binds with Jackson 3 and picks the class from apiVersion and kind.
 */
final class Kustomize {

    private static final long TIMEOUT_SECONDS = 120;
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    static String render(Path dir) {
        return RENDERED.computeIfAbsent(dir, Kustomize::runKustomize);
    }

    /** Renders again, whatever was rendered before: for a folder whose files a test changes. */
    static String renderUncached(Path dir) {
        return runKustomize(dir);
    }

    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        try (MappingIterator<KubernetesResource> documents =
                     YAML.readerFor(KubernetesResource.class).readValues(yaml)) {
            while (documents.hasNextValue()) {
                KubernetesResource resource = documents.nextValue();
                if (!(resource instanceof HasMetadata object)) {
                    throw new IllegalStateException("not a Kubernetes object: " + resource);
                }
                objects.add(object);
            }
        }
        return objects;
    }

    /** The kubectl binary: $KUBECTL, else the first kubectl on PATH. */
    static Path kubectl() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (Files.isExecutable(path)) {
                return path;
            }
            fail("KUBECTL=" + configured + " is not an executable file");
        }
        Optional<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
        if (onPath.isEmpty()) {
            fail("kubectl was not found on PATH. The manifest checks render every kustomization with "
                    + "`kubectl kustomize` (kustomize is built into kubectl 1.14 and later; no cluster is "
                    + "needed). Install kubectl, or set KUBECTL to its path.");
        }
        return onPath.get();
    }

    private static String runKustomize(Path dir) {
        List<String> command = List.of(kubectl().toString(), "kustomize", dir.toString());
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> slurp(process.getInputStream()));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> slurp(process.getErrorStream()));
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + stderr.join());
            }
            return stdout.join();
        } catch (IOException e) {
            return fail("cannot run " + String.join(" ", command) + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while rendering " + dir);
        }
    }

    private static String slurp(InputStream in) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
