package io.sqlgate.gatekeeper.api;

import io.micronaut.http.HttpStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every error code a tier can answer with, by HTTP status, read from the main sources of every module: the codes
 * given to the refusals' constructors and factories ({@code new ApiException(HttpStatus.X, "CODE", ...)},
 * {@code ApiException.badRequest("CODE", ...)}, {@code ApiException.retryLater(HttpStatus.X, "CODE", ...)},
 * {@code new SqlRejectedException("CODE", ...)} or with a status first, {@code SqlRejectedException.forbidden},
 * {@code Refusal.invalid} and {@code .forbidden}, {@code new Refusal(status, "CODE", ...)}), as string literals or
 * constants, and the codes of the errors the framework raises itself ({@code JsonErrorResponseProcessor.codeOf}).
 * A call whose code or status it cannot read fails the scan, so that no code escapes it. The API description's test
 * and the error reference's ({@code docs/errors.md}) both hold their codes to it; its source helpers serve the other
 * reference pages' tests.
 */
public final class ErrorCodeScan {
    /** One place a code is answered with. */
    public record Site(int status, String code, boolean retryAfter, String where) {
    }

    private static final String CODE = "[A-Z][A-Z0-9_]*[A-Z0-9]";
    private static final Pattern CONSTANT = Pattern.compile(
            "\\b(?:static\\s+final|final\\s+static)\\s+String\\s+(\\w+)\\s*=\\s*\"(" + CODE + ")\"\\s*;");
    private static final Pattern CALL = Pattern.compile(
            "new\\s+(ApiException|SqlRejectedException|Refusal)\\s*\\("
                    + "|\\b(ApiException|SqlRejectedException|Refusal)\\s*\\.\\s*(badRequest|retryLater|forbidden|invalid)\\s*\\(");
    /** Parameters a factory passes on: the site that calls the factory is the one that names the code. */
    private static final Set<String> PASSED_ON = Set.of("code", "status");

    private ErrorCodeScan() {
    }

    /** The project's root: the directory whose pom lists the gatekeeper module. */
    public static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && read(pom).contains("<module>gatekeeper</module>")) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root above " + Path.of("").toAbsolutePath());
    }

    /** The directories of the modules the root pom lists, in its order. */
    public static List<Path> modules() {
        Path root = projectRoot();
        List<Path> modules = new ArrayList<>();
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(read(root.resolve("pom.xml")));
        while (module.find()) {
            modules.add(root.resolve(module.group(1)));
        }
        return modules;
    }

    /** Every file under {@code dir} of every module (e.g. {@code src/main/java}) whose name ends with {@code suffix}, sorted. */
    public static List<Path> moduleFiles(String dir, String suffix) {
        List<Path> found = new ArrayList<>();
        for (Path module : modules()) {
            Path main = module.resolve(dir);
            if (Files.isDirectory(main)) {
                try (Stream<Path> files = Files.walk(main)) {
                    files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().forEach(found::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return found;
    }

    /** Every site, in the main sources of every module, and the framework's own codes. */
    public static List<Site> sites() {
        Path root = projectRoot();
        List<Path> sources = moduleFiles("src/main/java", ".java");
        Map<Path, String> code = new HashMap<>();
        Map<String, String> constants = new HashMap<>();
        for (Path source : sources) {
            String text = withoutComments(read(source));
            code.put(source, text);
            String className = source.getFileName().toString().replace(".java", "");
            Matcher constant = CONSTANT.matcher(text);
            while (constant.find()) {
                constants.put(className + "." + constant.group(1), constant.group(2));
            }
        }
        List<Site> sites = new ArrayList<>();
        for (Path source : sources) {
            String text = code.get(source);
            String className = source.getFileName().toString().replace(".java", "");
            Matcher call = CALL.matcher(text);
            while (call.find()) {
                String where = root.relativize(source) + ":" + (1 + text.substring(0, call.start()).chars().filter(c -> c == '\n').count());
                Site site = site(call, arguments(text, call.end() - 1), className, constants, where);
                if (site != null) {
                    sites.add(site);
                }
            }
        }
        sites.addAll(frameworkSites());
        return sites;
    }

    /** The codes by status, in order. */
    public static Map<Integer, Set<String>> byStatus(List<Site> sites) {
        Map<Integer, Set<String>> codes = new TreeMap<>();
        for (Site site : sites) {
            codes.computeIfAbsent(site.status(), s -> new TreeSet<>()).add(site.code());
        }
        return codes;
    }

    private static Site site(Matcher call, List<String> args, String className, Map<String, String> constants, String where) {
        String type = call.group(1) != null ? call.group(1) : call.group(2);
        String factory = call.group(3);
        String statusArg;
        String codeArg;
        if (factory == null) {
            // new ApiException(HttpStatus.X, code, ...), new Refusal(400, code, ...), new SqlRejectedException([400,] code, ...)
            boolean statusFirst = type.equals("ApiException") || type.equals("Refusal") || args.size() >= 3;
            statusArg = statusFirst ? args.get(0) : "400";
            codeArg = statusFirst ? args.get(1) : args.get(0);
        } else {
            switch (factory) {
                case "badRequest", "invalid" -> {
                    statusArg = "400";
                    codeArg = args.get(0);
                }
                case "forbidden" -> {
                    statusArg = "403";
                    codeArg = args.get(0);
                }
                default -> { // retryLater(HttpStatus.X, code, message, seconds)
                    statusArg = args.get(0);
                    codeArg = args.get(1);
                }
            }
        }
        if (PASSED_ON.contains(codeArg) || PASSED_ON.contains(statusArg)) {
            return null;
        }
        return new Site(status(statusArg, where), code(codeArg, className, constants, where), "retryLater".equals(factory), where);
    }

    private static int status(String arg, String where) {
        if (arg.matches("\\d{3}")) {
            return Integer.parseInt(arg);
        }
        if (arg.startsWith("HttpStatus.")) {
            return HttpStatus.valueOf(arg.substring("HttpStatus.".length())).getCode();
        }
        throw new AssertionError(where + ": the status " + arg + " cannot be read; give it as HttpStatus.X or a number");
    }

    private static String code(String arg, String className, Map<String, String> constants, String where) {
        if (arg.matches("\"" + CODE + "\"")) {
            return arg.substring(1, arg.length() - 1);
        }
        String constant = constants.get(arg.contains(".") ? arg : className + "." + arg);
        if (constant == null) {
            throw new AssertionError(where + ": the code " + arg + " cannot be read; give it as a literal or a String constant");
        }
        return constant;
    }

    /** The codes of what the framework raises itself, each at the lowest status that has it. */
    private static List<Site> frameworkSites() {
        Map<String, Integer> lowest = new TreeMap<>();
        try {
            Method codeOf = Class.forName("io.sqlgate.http.JsonErrorResponseProcessor").getDeclaredMethod("codeOf", HttpStatus.class);
            codeOf.setAccessible(true);
            for (HttpStatus status : HttpStatus.values()) {
                if (status.getCode() >= 400) {
                    lowest.merge((String) codeOf.invoke(null, status), status.getCode(), Math::min);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("JsonErrorResponseProcessor.codeOf(HttpStatus) is gone", e);
        }
        List<Site> sites = new ArrayList<>();
        lowest.forEach((code, status) -> sites.add(new Site(status, code, false, "JsonErrorResponseProcessor.codeOf")));
        return sites;
    }

    /** The top-level arguments of the call whose opening parenthesis is at {@code open}, trimmed. */
    public static List<String> arguments(String text, int open) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int end = endOfLiteral(text, i);
                current.append(text, i, end);
                i = end - 1;
                continue;
            }
            if ((c == ')' && depth == 0) || (c == ',' && depth == 0)) {
                args.add(current.toString().trim());
                current.setLength(0);
                if (c == ')') {
                    return args;
                }
                continue;
            }
            if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            }
            current.append(c);
        }
        throw new IllegalStateException("unclosed call at " + open);
    }

    /** The index just after the string or character literal that starts at {@code start}. */
    private static int endOfLiteral(String text, int start) {
        char quote = text.charAt(start);
        if (text.startsWith("\"\"\"", start)) {
            return text.indexOf("\"\"\"", start + 3) + 3;
        }
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i + 1;
            }
        }
        throw new IllegalStateException("unclosed literal at " + start);
    }

    /** The source without its comments (line numbers kept), literals untouched. */
    public static String withoutComments(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int end = endOfLiteral(text, i);
                out.append(text, i, end);
                i = end - 1;
            } else if (text.startsWith("//", i)) {
                int end = text.indexOf('\n', i);
                i = (end < 0 ? text.length() : end) - 1;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2) + 2;
                text.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = end - 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
