package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A kustomization of this module that can be deployed: the root (EC2 cluster) and every overlay. */
record Variant(String name, Path dir, boolean singleNode) {

    static final String NAMESPACE = "sqlgate";

    static Path manifestsDir() {
        return Path.of(System.getProperty("sqlgate.manifests.dir", ".")).toAbsolutePath().normalize();
    }

    static Variant root() {
        return new Variant("root", manifestsDir(), false);
    }

    static Variant singleNodeOverlay() {
        return new Variant("overlays/single-node", manifestsDir().resolve("overlays/single-node"), true);
    }

    /** The root and every directory under overlays/ that holds a kustomization. */
    static List<Variant> deployable() {
        List<Variant> variants = new ArrayList<>();
        variants.add(root());
        Path overlays = manifestsDir().resolve("overlays");
        try (Stream<Path> dirs = Files.list(overlays)) {
            dirs.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml")))
                    .sorted()
                    .forEach(dir -> variants.add(new Variant("overlays/" + dir.getFileName(), dir,
                            dir.getFileName().toString().equals("single-node"))));
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
