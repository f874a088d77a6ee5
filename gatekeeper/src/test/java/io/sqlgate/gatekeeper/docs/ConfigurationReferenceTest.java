package io.sqlgate.gatekeeper.docs;

import io.sqlgate.gatekeeper.api.ErrorCodeScan;
import io.sqlgate.hop.signing.HopSigner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md against the code: every property a tier reads is in its tables, and only those, each with
 * the default, environment variable and validated bounds the code has. The properties are read from the sources,
 * not from a list kept by hand: the leaves of every module's {@code application*.yml}, the components of every
 * {@code @ConfigurationProperties} and {@code @EachProperty} record (nested records named by their prefixes), and
 * every {@code @Value("${...}")}.
 */
class ConfigurationReferenceTest {
    private static final String PAGE = "docs/configuration.md";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::`?([^`}]*)`?)?}");
    private static final Pattern VALUE = Pattern.compile("@Value\\(\\s*\"\\$\\{([a-z0-9.-]+)(?::([^}]*))?}\"\\s*\\)");
    private static final Pattern CONFIGURED = Pattern.compile("@(ConfigurationProperties|EachProperty)\\s*\\(");
    private static final Pattern RECORD = Pattern.compile("\\brecord\\s+(\\w+)\\s*\\(");
    private static final Pattern CONSTANT = Pattern.compile("static\\s+final\\s+String\\s+(\\w+)\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+(\\s*\\((?:[^()\"]|\"[^\"]*\")*\\))?");

    /** A property as the code has it: where it is set or bound, its default and its bounds. */
    static final class Property {
        final String name;
        final List<String> where = new ArrayList<>();
        /** Defaults given in the base {@code application.yml} files and the classes ({@code @Bindable}, {@code @Value}). */
        final Set<String> defaults = new TreeSet<>();
        /** Environment variables named by placeholders. */
        final Set<String> variables = new TreeSet<>();
        /** Whether some base {@code application.yml} sets it from a placeholder without a default (a secret). */
        boolean required;
        /** Texts the range cell must hold: "at least 16", "from 0.01 to 1.0", "not blank". */
        final Set<String> bounds = new TreeSet<>();

        Property(String name) {
            this.name = name;
        }
    }

    private static Map<String, Property> properties;
    private static Map<String, MarkdownTables.Row> documented;

    @BeforeAll
    static void read() {
        properties = new TreeMap<>();
        List<String> eachPrefixes = new ArrayList<>();
        readClasses(eachPrefixes);
        readYaml(eachPrefixes);
        documented = new LinkedHashMap<>();
        for (MarkdownTables.Row row : MarkdownTables.rows(MarkdownTables.page(PAGE), "property")) {
            assertTrue(documented.put(row.name(), row) == null, PAGE + ":" + row.line() + " documents " + row.name() + " twice");
        }
    }

    @Test
    void everyPropertyTheCodeReadsIsDocumented() {
        Set<String> missing = properties.keySet().stream().filter(name -> !documented.containsKey(name))
                .map(name -> name + " (" + String.join(", ", properties.get(name).where) + ")").collect(Collectors.toCollection(TreeSet::new));
        assertTrue(missing.isEmpty(), PAGE + " does not document " + missing);
    }

    @Test
    void theReferenceNamesNoPropertyTheCodeDoesNotRead() {
        Set<String> unknown = new TreeSet<>(documented.keySet());
        unknown.removeAll(properties.keySet());
        assertTrue(unknown.isEmpty(), PAGE + " documents properties no tier reads any more: " + unknown);
    }

    @Test
    void defaultsAreTheCodes() {
        List<String> wrong = new ArrayList<>();
        forEachDocumented((property, row) -> {
            String defaults = row.cell(2);
            for (String value : property.defaults) {
                if (!defaults.contains("`" + value + "`")) {
                    wrong.add(property.name + ": the default cell has no `" + value + "` (" + String.join(", ", property.where) + ")");
                }
            }
            if (property.required && !defaults.startsWith("none")) {
                wrong.add(property.name + ": it has no default, the cell says " + defaults);
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void environmentVariablesAreTheOnesThatSetThem() {
        List<String> wrong = new ArrayList<>();
        forEachDocumented((property, row) -> {
            String environment = row.cell(1);
            Set<String> expected = property.variables.isEmpty() ? Set.of(environmentForm(property.name)) : property.variables;
            for (String variable : expected) {
                if (!environment.contains("`" + variable + "`")) {
                    wrong.add(property.name + ": the environment cell has no `" + variable + "`: " + environment);
                }
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void validatedBoundsAreTheClasses() {
        List<String> wrong = new ArrayList<>();
        forEachDocumented((property, row) -> {
            for (String bound : property.bounds) {
                if (!row.cell(3).contains(bound)) {
                    wrong.add(property.name + ": the range cell does not say '" + bound + "': " + row.cell(3));
                }
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void theHopSecretsMinimumLengthIsTheSigners() {
        String bound = "at least " + HopSigner.MIN_SECRET_BYTES + " bytes";
        for (String name : List.of("hop.sign-secret", "hop.verify-secret")) {
            assertTrue(documented.get(name).cell(3).contains(bound), name + " must say " + bound);
        }
        assertTrue(MarkdownTables.page(PAGE).contains("**" + bound + "**"), PAGE + " must say the secret is " + bound);
    }

    @Test
    void theTimeoutsNestAsTheReferenceSays() {
        Map<String, Object> proxy = yaml("proxy/src/main/resources/application.yml");
        Map<String, Object> trustedHost = yaml("trusted-host/src/main/resources/application.yml");
        Map<String, Object> gatekeeper = yaml("gatekeeper/src/main/resources/application.yml");
        Duration query = duration(proxy, "proxy.database.query-timeout");
        Duration connection = duration(proxy, "proxy.database.connection-timeout");
        Duration proxyRead = duration(trustedHost, "micronaut.http.services.proxy.read-timeout");
        Duration trustedHostRead = duration(gatekeeper, "micronaut.http.services.trusted-host.read-timeout");
        assertFalse(query.plus(connection.multipliedBy(2)).compareTo(proxyRead) > 0,
                "the trusted host must wait for the proxy (" + proxyRead + ") at least the query timeout and two connection waits");
        assertTrue(proxyRead.compareTo(trustedHostRead) < 0,
                "the gatekeeper must wait for the trusted host (" + trustedHostRead + ") longer than the trusted host for the proxy");
        String page = MarkdownTables.page(PAGE);
        for (Duration d : List.of(query, proxyRead, trustedHostRead)) {
            assertTrue(page.contains(d.toSeconds() + " s"), PAGE + " must give " + d.toSeconds() + " s in its timeouts");
        }
    }

    private interface RowCheck {
        void check(Property property, MarkdownTables.Row row);
    }

    private static void forEachDocumented(RowCheck check) {
        properties.values().stream().filter(p -> documented.containsKey(p.name)).forEach(p -> check.check(p, documented.get(p.name)));
    }

    /** {@code sqlgate.server.max-in-flight} is {@code SQLGATE_SERVER_MAX_IN_FLIGHT}; {@code <name>} is {@code <NAME>}. */
    static String environmentForm(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Property property(String name, String where) {
        Property property = properties.computeIfAbsent(name, Property::new);
        if (!property.where.contains(where)) {
            property.where.add(where);
        }
        return property;
    }

    // --- the configuration classes ---

    private record Configured(String simpleName, String prefix, boolean each, int start, int bodyStart, int bodyEnd, List<String> components) {
    }

    private static void readClasses(List<String> eachPrefixes) {
        Path root = ErrorCodeScan.projectRoot();
        for (Path source : ErrorCodeScan.moduleFiles("src/main/java", ".java")) {
            String text = ErrorCodeScan.withoutComments(ErrorCodeScan.read(source));
            String where = root.relativize(source).toString();
            Matcher value = VALUE.matcher(text);
            while (value.find()) {
                Property property = property(value.group(1), where);
                if (value.group(2) != null) {
                    property.defaults.add(value.group(2));
                }
            }
            Map<String, String> constants = new HashMap<>();
            String className = source.getFileName().toString().replace(".java", "");
            Matcher constant = CONSTANT.matcher(text);
            while (constant.find()) {
                constants.put(constant.group(1), constant.group(2));
            }
            List<Configured> records = new ArrayList<>();
            Matcher configured = CONFIGURED.matcher(text);
            while (configured.find()) {
                String arg = ErrorCodeScan.arguments(text, configured.end() - 1).get(0);
                String prefix = arg.startsWith("\"") ? arg.substring(1, arg.length() - 1)
                        : constants.get(arg.substring(arg.lastIndexOf('.') + 1));
                assertTrue(prefix != null, where + ": cannot read the prefix " + arg);
                Matcher record = RECORD.matcher(text);
                assertTrue(record.find(configured.end()), where + ": @" + configured.group(1) + " is not on a record");
                int open = record.end() - 1;
                List<String> components = ErrorCodeScan.arguments(text, open);
                int close = closing(text, open, '(', ')');
                int bodyStart = text.indexOf('{', close);
                records.add(new Configured(record.group(1), prefix, configured.group(1).equals("EachProperty"), configured.start(),
                        bodyStart, closing(text, bodyStart, '{', '}'), components));
            }
            Set<String> groups = records.stream().map(Configured::simpleName).collect(Collectors.toSet());
            for (Configured record : records) {
                StringBuilder prefix = new StringBuilder();
                for (Configured outer : records) {
                    if (outer != record && outer.bodyStart() < record.start() && record.start() < outer.bodyEnd()) {
                        prefix.append(fullPrefixPart(outer)).append('.');
                    }
                }
                prefix.append(fullPrefixPart(record));
                if (record.each()) {
                    eachPrefixes.add(record.prefix());
                }
                for (String component : record.components()) {
                    component(component, prefix.toString(), groups, where + " " + className);
                }
            }
        }
    }

    private static String fullPrefixPart(Configured record) {
        return record.each() ? record.prefix() + ".<name>" : record.prefix();
    }

    private static void component(String component, String prefix, Set<String> groups, String where) {
        if (component.isBlank() || component.contains("@Parameter")) {
            return; // no components, or the name of an @EachProperty entry
        }
        String declaration = ANNOTATION.matcher(component).replaceAll(" ").trim().replaceAll("<[^>]*>", "");
        String[] words = declaration.split("\\s+");
        String type = words[words.length - 2];
        if (groups.contains(type)) {
            return; // a nested group, whose own components are properties
        }
        Property property = property(prefix + "." + kebab(words[words.length - 1]), where);
        Matcher bindable = Pattern.compile("@Bindable\\(\\s*defaultValue\\s*=\\s*\"([^\"]*)\"\\s*\\)").matcher(component);
        if (bindable.find()) {
            property.defaults.add(bindable.group(1));
        }
        Matcher min = Pattern.compile("@Min\\((\\d+)\\)").matcher(component);
        Matcher max = Pattern.compile("@Max\\(([\\d_]+)\\)").matcher(component);
        if (min.find()) {
            property.bounds.add(max.find() ? "from " + min.group(1) + " to " + max.group(1).replace("_", "") : "at least " + min.group(1));
        }
        Matcher decimalMin = Pattern.compile("@DecimalMin\\(\"([^\"]+)\"\\)").matcher(component);
        Matcher decimalMax = Pattern.compile("@DecimalMax\\(\"([^\"]+)\"\\)").matcher(component);
        if (decimalMin.find() && decimalMax.find()) {
            property.bounds.add("from " + decimalMin.group(1) + " to " + decimalMax.group(1));
        }
        if (component.contains("@NotBlank")) {
            property.bounds.add("not blank");
        }
        if (component.contains("@NotEmpty")) {
            property.bounds.add("not empty");
        }
    }

    /** The index of the bracket that closes the one at {@code open}, string and character literals skipped. */
    private static int closing(String text, int open, char opening, char closingChar) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                for (i++; i < text.length() && text.charAt(i) != c; i++) {
                    if (text.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == opening) {
                depth++;
            } else if (c == closingChar && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unclosed " + opening + " at " + open);
    }

    // --- the application*.yml files ---

    private static void readYaml(List<String> eachPrefixes) {
        Path root = ErrorCodeScan.projectRoot();
        for (Path file : ErrorCodeScan.moduleFiles("src/main/resources", ".yml")) {
            String fileName = file.getFileName().toString();
            if (!fileName.startsWith("application")) {
                continue;
            }
            boolean base = fileName.equals("application.yml");
            String where = root.relativize(file).toString();
            Map<String, Object> leaves = new TreeMap<>();
            flatten("", new Yaml().load(ErrorCodeScan.read(file)), leaves);
            leaves.forEach((key, value) -> {
                Property property = property(generic(key, eachPrefixes), where);
                String text = String.valueOf(value);
                Matcher placeholder = PLACEHOLDER.matcher(text);
                if (placeholder.find()) {
                    do {
                        property.variables.add(placeholder.group(1));
                        if (base && placeholder.group(2) != null) {
                            property.defaults.add(placeholder.group(2));
                        } else if (base && placeholder.group(0).equals(text)) {
                            property.required = true;
                        }
                    } while (placeholder.find());
                } else if (base) {
                    property.defaults.add(text);
                }
            });
        }
    }

    /** {@code proxy.nodes.node1.url} is {@code proxy.nodes.<name>.url}. */
    private static String generic(String key, List<String> eachPrefixes) {
        for (String prefix : eachPrefixes) {
            if (key.startsWith(prefix + ".")) {
                String rest = key.substring(prefix.length() + 1);
                int dot = rest.indexOf('.');
                return prefix + ".<name>" + (dot < 0 ? "" : rest.substring(dot));
            }
        }
        return key;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, Map<String, Object> leaves) {
        if (node instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((key, value) -> flatten(prefix.isEmpty() ? key : prefix + "." + key, value, leaves));
        } else {
            leaves.put(prefix, node);
        }
    }

    private static Map<String, Object> yaml(String path) {
        Map<String, Object> leaves = new TreeMap<>();
        flatten("", new Yaml().load(ErrorCodeScan.read(ErrorCodeScan.projectRoot().resolve(path))), leaves);
        return leaves;
    }

    private static Duration duration(Map<String, Object> leaves, String key) {
        String text = String.valueOf(leaves.get(key));
        Matcher m = Pattern.compile("(\\d+)(ms|s|m)").matcher(text);
        assertTrue(m.matches(), key + " is not a duration this test reads: " + text);
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }
}
