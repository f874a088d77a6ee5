package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A kustomization of this module that can be deployed: the root (EC2 cluster) and every overlay. The
 * single-node overlays are the ones named single-node*, and those named *benchmark add the benchmark.
 */
record Variant(String name, Path dir, boolean singleNode, boolean benchmark) {

    static final String NAMESPACE = "sqlgate";

    static Path manifestsDir() {
        return Path.of(System.getProperty("sqlgate.manifests.dir", ".")).toAbsolutePath().normalize();
    }

    static Variant root() {
        return new Variant("root", manifestsDir(), false, false);
    }

    static Variant singleNodeOverlay() {
        return new Variant("overlays/single-node", manifestsDir().resolve("overlays/single-node"), true, false);
    }

    static Variant benchmarkOverlay() {
        return new Variant("overlays/benchmark", manifestsDir().resolve("overlays/benchmark"), false, true);
    }

    /** The root and every directory under overlays/ that holds a kustomization. */
    static List<Variant> deployable() {
        List<Variant> variants = new ArrayList<>();
        variants.add(root());
        Path overlays = manifestsDir().resolve("overlays");
        try (Stream<Path> dirs = Files.list(overlays)) {
            dirs.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml")))
                    .sorted()
                    .forEach(dir -> {
                        String name = dir.getFileName().toString();
                        variants.add(new Variant("overlays/" + name, dir, name.startsWith("single-node"),
                                name.endsWith("benchmark")));
                    });
        } catch (IOException e) {
            fail("cannot list " + overlays + ": " + e);
        }
        return variants;
    }

    @Override
    public String toString() {
        return name;
    }
}
