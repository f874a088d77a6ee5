package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What a change restarts. Every file a ConfigMap or Secret generator reads (in any kustomization of the
 * module) is changed in a temporary copy of the module, every deployable variant that reads it is
 * rendered again, and the workloads whose pod template changed (a Deployment or StatefulSet that rolls,
 * a Job that must be replaced) are compared with the table in README.md, "What a change restarts",
 * which this test reads: the table cannot drift from the manifests.
 */
class WhatRestartsTest {

    private static final Path MODULE = Variant.manifestsDir();
    private static final Path README = MODULE.resolve("README.md");
    private static final String TABLE_HEADING = "### What a change restarts";
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @TempDir
    static Path copy;

    /** The table: input -> (workloads, what to do). */
    private static Map<String, Row> table;

    record Row(Set<String> changes, String todo) {
    }

    @BeforeAll
    static void readTheTableAndCopyTheModule() throws IOException {
        table = readTable();
        for (String part : List.of("kustomization.yaml", "base", "components", "overlays")) {
            copyTree(MODULE.resolve(part), copy.resolve(part));
        }
    }

    @Test
    void theTableNamesEveryGeneratorInputExactlyOnce() {
        assertEquals(String.join("\n", generatorInputs().keySet()), String.join("\n", new TreeSet<>(table.keySet())),
                "README.md, \"What a change restarts\": one row per file a generator reads");
    }

    @Test
    void changingAnInputChangesExactlyThePodTemplatesTheTableNames() throws IOException {
        Map<String, String> inputs = generatorInputs();
        List<Variant> variants = Variant.deployable();
        Map<Variant, Map<String, Workload>> before = new ConcurrentHashMap<>();
        variants.parallelStream().forEach(variant -> before.put(variant, workloads(render(variant))));
        Map<String, String> problems = new TreeMap<>();
        for (Map.Entry<String, String> input : inputs.entrySet()) {
            Path file = copy.resolve(input.getKey());
            String original = Files.readString(file);
            Files.writeString(file, changed(input.getKey(), original));
            try {
                // kubectl's start-up is most of a render: the variants render side by side.
                Set<String> changed = new ConcurrentSkipListSet<>();
                variants.parallelStream().filter(variant -> readsFrom(variant, input.getValue())).forEach(variant -> {
                    Map<String, Workload> after = workloads(render(variant));
                    before.get(variant).forEach((name, workload) -> {
                        Workload now = after.get(name);
                        if (now == null || !Objects.equals(workload.template(), now.template())) {
                            changed.add(name);
                        }
                    });
                });
                Row row = table.get(input.getKey());
                Set<String> documented = row == null ? Set.of() : row.changes();
                if (!documented.equals(changed)) {
                    problems.put(input.getKey(), "changes " + changed + ", the table says " + documented);
                }
            } finally {
                Files.writeString(file, original);
            }
        }
        assertEquals(Map.of(), problems);
    }

    @Test
    void everyRowThatChangesAJobSaysHowToReplaceIt() {
        Set<String> jobs = new TreeSet<>();
        Variant.deployable().forEach(variant -> Manifests.of(variant).workloads().stream()
                .filter(Workload::isJob).forEach(job -> jobs.add(job.name())));
        Map<String, String> problems = new TreeMap<>();
        table.forEach((input, row) -> {
            for (String job : row.changes()) {
                // A Job's pod template is immutable: an apply that changes it fails while the Job exists.
                String replace = "kubectl -n sqlgate delete job " + job + " --ignore-not-found && kubectl apply -k ";
                if (jobs.contains(job) && !row.todo().contains(replace)) {
                    problems.put(input, "changes Job " + job + " but does not say `" + replace + "...`");
                }
            }
        });
        assertEquals(Map.of(), problems);
    }

    /** Every file the module's configMapGenerator and secretGenerator entries read -> its kustomization's folder, both relative to the module. */
    static Map<String, String> generatorInputs() {
        Map<String, String> inputs = new TreeMap<>();
        for (Path kustomization : kustomizations()) {
            Path dir = kustomization.getParent();
            Map<?, ?> content = readYaml(kustomization);
            for (String generator : List.of("configMapGenerator", "secretGenerator")) {
                for (Object entry : list(content.get(generator))) {
                    Map<?, ?> spec = (Map<?, ?>) entry;
                    List<String> sources = new ArrayList<>();
                    list(spec.get("files")).forEach(source -> sources.add(source.toString().replaceFirst("^[^=]*=", "")));
                    list(spec.get("envs")).forEach(source -> sources.add(source.toString()));
                    for (String source : sources) {
                        String relative = MODULE.relativize(dir.resolve(source).normalize()).toString();
                        inputs.put(relative, MODULE.relativize(dir).toString());
                    }
                }
            }
        }
        return inputs;
    }

    /** Whether a variant's kustomization includes (through resources and components) the folder of a kustomization. */
    private static boolean readsFrom(Variant variant, String kustomizationDir) {
        return included(variant.dir()).contains(MODULE.resolve(kustomizationDir).normalize());
    }

    private static Set<Path> included(Path dir) {
        Set<Path> dirs = new TreeSet<>();
        dirs.add(dir.normalize());
        Map<?, ?> content = readYaml(dir.resolve("kustomization.yaml"));
        for (String field : List.of("resources", "components")) {
            for (Object entry : list(content.get(field))) {
                Path target = dir.resolve(entry.toString()).normalize();
                if (Files.isDirectory(target)) {
                    dirs.addAll(included(target));
                }
            }
        }
        return dirs;
    }

    /** The same file with different content: a comment appended, or for an env file (which drops comments) a key. */
    private static String changed(String path, String content) {
        String body = content.endsWith("\n") ? content : content + "\n";
        if (path.endsWith(".env")) {
            return body + "changed-for-the-test=1\n";
        }
        if (path.endsWith(".sql")) {
            return body + "-- changed for the test\n";
        }
        return body + "# changed for the test\n";
    }

    private static Map<String, Workload> workloads(List<io.fabric8.kubernetes.api.model.HasMetadata> objects) {
        Map<String, Workload> byName = new TreeMap<>();
        Manifests.workloadsOf(objects).forEach(workload -> byName.put(workload.name(), workload));
        return byName;
    }

    private static List<io.fabric8.kubernetes.api.model.HasMetadata> render(Variant variant) {
        return Kustomize.parse(Kustomize.renderUncached(copy.resolve(MODULE.relativize(variant.dir()))));
    }

    private static Map<String, Row> readTable() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int heading = lines.indexOf(TABLE_HEADING);
        if (heading < 0) {
            fail("README.md has no heading " + TABLE_HEADING);
        }
        int start = heading + 1;
        while (start < lines.size() && !lines.get(start).startsWith("|")) {
            start++;
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        // the header and the separator line first
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).substring(1, lines.get(i).length() - 1).split(" \\| ", -1);
            if (cells.length != 3) {
                fail("README.md, " + TABLE_HEADING + ": a row of three cells: " + lines.get(i));
            }
            Set<String> changes = new TreeSet<>(codes(cells[1]));
            for (String input : codes(cells[0])) {
                if (rows.put(input, new Row(changes, cells[2].strip())) != null) {
                    fail("README.md, " + TABLE_HEADING + ": " + input + " is in two rows");
                }
            }
        }
        assertFalse(rows.isEmpty(), "README.md, " + TABLE_HEADING + " has a table");
        return rows;
    }

    static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher matcher = CODE.matcher(cell);
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    private static List<Path> kustomizations() {
        try (Stream<Path> files = Files.walk(MODULE)) {
            return files.filter(file -> file.getFileName().toString().equals("kustomization.yaml"))
                    .filter(file -> !MODULE.relativize(file).startsWith("target")
                            && !MODULE.relativize(file).startsWith("src"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<?, ?> readYaml(Path file) {
        try {
            return YAML.readValue(Files.readString(file), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
