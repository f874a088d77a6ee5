package io.sqlgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shell scripts the ConfigMaps carry: valid bash, clean under shellcheck, and node ids as config.ini says. */
class ScriptsTest {

    @Test
    void everyScriptIsValidBash() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Path script : scripts()) {
            Result result = run(script.getParent(), "bash", "-n", script.toString());
            if (result.exitCode() != 0) {
                problems.add(script + ": " + result.output());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyScriptIsCleanUnderShellcheck() throws Exception {
        assumeTrue(onPath("shellcheck"), "shellcheck is not installed");
        List<String> problems = new ArrayList<>();
        for (Path script : scripts()) {
            Result result = run(script.getParent(), "shellcheck", "-x", "-s", "bash", script.getFileName().toString());
            if (result.exitCode() != 0) {
                problems.add(result.output());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theScriptsDeriveTheNodeIdsConfigIniDeclares() throws Exception {
        Manifests manifests = Manifests.of(Variant.root());
        IniFile config = IniFile.parse(manifests.configMapEntry("ndb-mgmd", "config.ini"));
        Path common = Variant.manifestsDir().resolve("base/config/ndb/ndb-common.sh");
        record Member(String statefulSet, String container, String section) {
        }
        for (Member member : List.of(new Member("ndb-mgmd", "ndb-mgmd", "ndb_mgmd"),
                new Member("ndb-data", "ndbmtd", "ndbd"), new Member("ndb-sql", "mysqld", "mysqld"))) {
            Workload workload = manifests.workload(member.statefulSet());
            String base = Objects.requireNonNullElse(workload.container(member.container()).getEnv(), List.<EnvVar>of())
                    .stream().filter(env -> env.getName().equals("NDB_NODE_ID_BASE")).findFirst().orElseThrow().getValue();
            for (int ordinal = 0; ordinal < workload.replicas(); ordinal++) {
                String hostname = member.statefulSet() + "-" + ordinal;
                Result result = run(common.getParent(), "bash", "-c",
                        "source \"$1\"; HOSTNAME=\"$2\" NDB_NODE_ID_BASE=\"$3\" ndb_node_id", "bash",
                        common.toString(), hostname, base);
                String host = hostname + "." + member.statefulSet();
                int declared = config.all(member.section()).stream()
                        .filter(section -> host.equals(section.get("HostName")))
                        .findFirst().orElseThrow(() -> new AssertionError("no slot for " + host))
                        .getInt("NodeId");
                assertEquals(String.valueOf(declared), result.output().strip(), hostname + "'s node id");
            }
        }
    }

    private static List<Path> scripts() throws IOException {
        List<Path> scripts = new ArrayList<>();
        for (String dir : List.of("base", "components", "overlays")) {
            try (Stream<Path> files = Files.walk(Variant.manifestsDir().resolve(dir))) {
                files.filter(file -> file.toString().endsWith(".sh")).sorted().forEach(scripts::add);
            }
        }
        return scripts;
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isBlank() && Files.isExecutable(Path.of(dir, program)));
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
