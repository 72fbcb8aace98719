package org.panacea.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README and {@code docs/*.md} from going stale: every console command, {@code etc/*.cfg} file, setting
 * written as {@code key = value} and relative link they show must still exist in the source tree. Reads files
 * only (the sources, not the built bundles), so it is cheap.
 */
class DocumentationTest {

    /** Karaf's own command scopes (and the shell's), which have no {@code @Command} in Panacea's sources. */
    private static final Set<String> KARAF_SCOPES = Set.of("bundle", "feature", "config", "jaas", "kar", "log",
            "shell", "system", "instance", "dev", "service", "package", "scr", "http", "web", "ssh", "obr", "wrapper",
            "diag", "management", "region", "subsystem", "event", "jdbc", "jndi", "jms", "camel", "cm");

    /** Maven plugin prefixes: {@code karaf:verify}, {@code archetype:generate} are build goals, not commands. */
    private static final Set<String> MAVEN_PREFIXES = Set.of("karaf", "archetype", "bnd", "dependency", "versions",
            "help", "exec", "install", "deploy", "jar", "surefire", "failsafe");

    /** Placeholders the text uses where a command name goes. */
    private static final Set<String> PLACEHOLDER_COMMANDS = Set.of("scope:name");

    /** Karaf's and Pax's configuration files, which the distribution takes from Karaf unchanged. */
    private static final Set<String> KARAF_FILES = Set.of("org.apache.karaf.features.cfg",
            "org.ops4j.pax.url.mvn.cfg", "org.apache.karaf.shell.cfg", "org.apache.karaf.jaas.cfg",
            "org.ops4j.pax.web.cfg", "org.ops4j.pax.logging.cfg", "org.apache.karaf.log.cfg",
            "org.apache.karaf.management.cfg", "org.apache.karaf.kar.cfg", "org.apache.felix.fileinstall-deploy.cfg");

    /** Settings of other software's configurations (data sources, Karaf), not of a Panacea component. */
    /** Settings of other products the documents show: pax-jdbc's, Karaf's, and PostgreSQL's postgresql.conf. */
    private static final Set<String> FOREIGN_KEYS = Set.of("osgi.jdbc.driver.name", "url", "user", "password",
            "dataSourceName", "pool", "karaf.secured.command.compulsory.roles", "wal_level", "fsync",
            "synchronous_commit", "synchronous_standby_names", "max_wal_senders");
    /** pax-jdbc-config hands the keys under this prefix to HikariCP as they are: HikariCP's settings, not ours. */
    private static final String HIKARI_PREFIX = "hikari.";

    private static final Pattern COMMAND = Pattern.compile(
            "(?<![\\w:/.\\-@])(?<!-u )([a-z][a-z0-9-]*):(\\*|[a-z][a-z0-9-]*)(?![\\w:/\\-])");
    private static final Pattern BARE_SCOPE = Pattern.compile("^([a-z][a-z0-9-]*):\\*?$");
    private static final Pattern ANNOTATED_COMMAND = Pattern.compile(
            "@Command\\(\\s*scope\\s*=\\s*\"([^\"]+)\"\\s*,\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern ETC_CFG = Pattern.compile("etc/([A-Za-z0-9._*<>-]+\\.cfg)\\b");
    private static final Pattern SETTING = Pattern.compile("^\\s*([A-Za-z][\\w.]*\\w)\\s=\\s\\S.*$");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern ANNOTATION_METHOD = Pattern.compile("\\b([A-Za-z_$][\\w$]*)\\s*\\(\\s*\\)\\s*(default|;)");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"([a-z][\\w.-]*)\"");
    private static final Pattern PID = Pattern.compile(
            "(?:configurationPid\\s*=\\s*\"|PID\\s*=\\s*\"|<config name=\")([\\w.-]+)\"");

    private static Path root;
    private static List<Path> documents;
    private static final Set<String> commands = new HashSet<>();
    private static final Set<String> scopes = new HashSet<>();
    private static final Set<String> settingKeys = new HashSet<>();
    private static final Set<String> pids = new HashSet<>();
    private static Set<String> shippedEtc;

    @BeforeAll
    static void readSources() throws IOException {
        root = Path.of("").toAbsolutePath();
        while (!(Files.isRegularFile(root.resolve("README.md")) && Files.isDirectory(root.resolve("bundles")))) {
            root = root.getParent();
            assertTrue(root != null, "the project root (README.md beside bundles/) above the working directory");
        }
        documents = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root.resolve("bundles"))) {
            sources = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/")).collect(Collectors.toList());
        }
        for (Path source : sources) {
            String text = read(source);
            Matcher command = ANNOTATED_COMMAND.matcher(text);
            while (command.find()) {
                commands.add(command.group(1) + ":" + command.group(2));
                scopes.add(command.group(1));
            }
            if (text.contains("@interface")) {
                Matcher method = ANNOTATION_METHOD.matcher(text);
                while (method.find()) {
                    settingKeys.add(propertyName(method.group(1)));
                }
            }
            Matcher literal = STRING_LITERAL.matcher(text);
            while (literal.find()) {
                settingKeys.add(literal.group(1));
            }
            Matcher pid = PID.matcher(text);
            while (pid.find()) {
                pids.add(pid.group(1));
            }
            // A component without configurationPid is configured under its class name.
            String relative = source.toString().replace('\\', '/');
            int at = relative.indexOf("/src/main/java/");
            if (text.contains("@Component")) {
                pids.add(relative.substring(at + "/src/main/java/".length(), relative.length() - ".java".length())
                        .replace('/', '.'));
            }
        }
        Matcher featureConfig = PID.matcher(read(root.resolve("features/src/main/feature/feature.xml")));
        while (featureConfig.find()) {
            pids.add(featureConfig.group(1));
        }
        try (Stream<Path> etc = Files.list(root.resolve("karaf-assembly/src/main/resources/assembly/etc"))) {
            shippedEtc = etc.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertTrue(commands.contains("audit:verify") && commands.contains("patient:list"),
                "the @Command annotations were read: " + commands);
        assertTrue(settingKeys.contains("login.throttle.user.failures"), "the configuration annotations were read");
    }

    @Test
    void everyConsoleCommandShownExists() {
        List<String> problems = new ArrayList<>();
        for (Path document : documents) {
            for (Snippet code : code(document)) {
                Matcher bare = BARE_SCOPE.matcher(code.text.trim());
                if (bare.matches()) {
                    checkScope(bare.group(1), code, problems);
                    continue;
                }
                Matcher command = COMMAND.matcher(code.text);
                while (command.find()) {
                    String name = command.group(1) + ":" + command.group(2);
                    if (PLACEHOLDER_COMMANDS.contains(name) || KARAF_SCOPES.contains(command.group(1))
                            || MAVEN_PREFIXES.contains(command.group(1))) {
                        continue;
                    }
                    if (command.group(2).equals("*")) {
                        checkScope(command.group(1), code, problems);
                    } else if (!commands.contains(name)) {
                        problems.add(code.where() + ": `" + name + "` is no @Command in bundles/*/src/main");
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyEtcFileNamedExists() {
        List<String> problems = new ArrayList<>();
        for (Path document : documents) {
            Matcher file = ETC_CFG.matcher(read(document));
            while (file.find()) {
                String name = file.group(1);
                if (name.contains("*") || name.contains("<") || name.startsWith("...") || shippedEtc.contains(name)
                        || KARAF_FILES.contains(name)) {
                    continue;
                }
                // A file the operator creates to change a Panacea component's defaults: its PID must exist.
                String pid = name.substring(0, name.length() - ".cfg".length());
                if (!pids.contains(pid)) {
                    problems.add(root.relativize(document) + ": etc/" + name
                            + " is neither shipped in karaf-assembly nor the configuration of a component");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everySettingShownIsRead() {
        List<String> problems = new ArrayList<>();
        for (Path document : documents) {
            for (Snippet code : code(document)) {
                for (String line : code.text.split("\n")) {
                    Matcher setting = SETTING.matcher(line);
                    if (!setting.matches()) {
                        continue;
                    }
                    String key = setting.group(1);
                    boolean known = FOREIGN_KEYS.contains(key) || key.startsWith(HIKARI_PREFIX)
                            || settingKeys.contains(key)
                            || settingKeys.stream().anyMatch(k -> k.endsWith("." + key));
                    if (!known) {
                        problems.add(code.where() + ": setting `" + key
                                + "` is read by no configuration annotation or string in bundles/*/src/main");
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyRelativeLinkResolves() {
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path document : documents) {
            Matcher link = LINK.matcher(withoutCode(read(document)));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    problems.add(root.relativize(document) + ": link " + target + " names no file");
                    continue;
                }
                if (hash >= 0) {
                    String anchor = target.substring(hash + 1);
                    Set<String> known = anchors.computeIfAbsent(resolved, DocumentationTest::anchors);
                    if (!known.contains(anchor)) {
                        problems.add(root.relativize(document) + ": link " + target + " names no heading of "
                                + root.relativize(resolved));
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static void checkScope(String scope, Snippet code, List<String> problems) {
        if (!scopes.contains(scope) && !KARAF_SCOPES.contains(scope)) {
            problems.add(code.where() + ": command scope `" + scope + ":` is neither Panacea's nor Karaf's");
        }
    }

    /** The OSGi Declarative Services mapping of an annotation element's name to its property name. */
    static String propertyName(String method) {
        StringBuilder name = new StringBuilder();
        String m = method.replace("$_$", "-");
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c == '$') {
                if (i + 1 < m.length() && m.charAt(i + 1) == '$') {
                    name.append('$');
                    i++;
                }
            } else if (c == '_') {
                if (i + 1 < m.length() && m.charAt(i + 1) == '_') {
                    name.append('_');
                    i++;
                } else {
                    name.append('.');
                }
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }

    /** GitHub's heading anchors of a Markdown file. */
    static Set<String> anchors(Path file) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new TreeMap<>();
        for (String line : withoutFences(read(file)).split("\n")) {
            if (!line.matches("^#{1,6} .*")) {
                continue;
            }
            String slug = line.replaceFirst("^#+ ", "").replace("`", "").trim().toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    /** A piece of code in a document: an inline span, or an indented or fenced block. */
    record Snippet(Path document, int line, String text) {
        String where() {
            return root.relativize(document) + ":" + line;
        }
    }

    static List<Snippet> code(Path document) {
        List<Snippet> snippets = new ArrayList<>();
        String[] lines = read(document).split("\n", -1);
        boolean fenced = false;
        boolean indented = false;
        boolean previousBlank = true;
        StringBuilder prose = new StringBuilder();
        int proseStart = 1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("```")) {
                fenced = !fenced;
                previousBlank = false;
                continue;
            }
            boolean blank = line.isBlank();
            indented = !blank && line.startsWith("    ") && (previousBlank || indented);
            if (fenced || indented) {
                snippets.add(new Snippet(document, i + 1, line));
            } else if (blank) {
                inline(document, proseStart, prose.toString(), snippets);
                prose.setLength(0);
                proseStart = i + 2;
            } else {
                prose.append(line).append('\n');
            }
            previousBlank = blank;
        }
        inline(document, proseStart, prose.toString(), snippets);
        return snippets;
    }

    private static void inline(Path document, int start, String paragraph, List<Snippet> snippets) {
        Matcher span = INLINE_CODE.matcher(paragraph);
        while (span.find()) {
            int line = start + (int) paragraph.substring(0, span.start()).chars().filter(c -> c == '\n').count();
            snippets.add(new Snippet(document, line, span.group(1).replace('\n', ' ')));
        }
    }

    private static String withoutCode(String markdown) {
        return withoutFences(markdown).replaceAll("`[^`\n]*`", "``");
    }

    private static String withoutFences(String markdown) {
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                out.append('\n');
                continue;
            }
            out.append(fenced ? "" : line).append('\n');
        }
        return out.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
