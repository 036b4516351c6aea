package io.rtmprouter.config;

import io.rtmprouter.testing.Programs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every line of every configuration the project ships or tests with, with one word appended,
 * must be refused at that line: a word the keyword does not take would otherwise change nothing
 * silently (`tcp-request inspect-delay 5 s` ran as 5 ms). The only lines that may take one more
 * word are those whose syntax ends in a list or an optional name: an `acl`'s patterns, the names
 * of `unsetenv` and `resetenv`, and `defaults [NAME]`. HAProxy itself (Debian's 2.6) is run on the same variants of the TCP
 * configurations: it refuses nearly all of them too; where it does not, we are stricter, and the
 * test names those lines.
 */
class ExtraWordTest {
    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"\\n(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern SECTION_START = Pattern.compile("\\A\\s*(global|defaults|frontend|backend|listen)\\b");
    private static final String EXTRA = "extra";

    record Config(String origin, String text) {
    }

    /** samples/*.cfg, and every valid configuration text block in the tests. */
    static List<Config> configs() throws IOException {
        List<Config> all = new ArrayList<>();
        try (Stream<Path> samples = Files.list(Path.of("samples"))) {
            for (Path p : samples.filter(f -> f.toString().endsWith(".cfg")).sorted().toList()) {
                all.add(new Config(p.toString(), Files.readString(p)));
            }
        }
        all.add(new Config("every-tcp-keyword.cfg", everyTcpKeyword()));
        try (Stream<Path> sources = Files.walk(Path.of("src/test/java"))) {
            for (Path p : sources.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = TEXT_BLOCK.matcher(Files.readString(p));
                for (int n = 1; m.find(); n++) {
                    // Formatted blocks: a line that is a placeholder alone is left out, others filled.
                    String text = m.group(1).stripIndent().translateEscapes().replaceAll("(?m)^\\s*%s\\s*$", "")
                            .replace("%d", "19999").replace("%s", "x").replace("%%", "%");
                    if (SECTION_START.matcher(text).find() && parses(text)) {
                        all.add(new Config(p.getFileName() + " text block " + n, text));
                    }
                }
            }
        }
        return all;
    }

    static String everyTcpKeyword() throws IOException {
        return Files.readString(Path.of("src/test/resources/config/every-tcp-keyword.cfg"));
    }

    private static boolean parses(String text) {
        try {
            ConfigParser.parse("t.cfg", text);
            return true;
        } catch (ConfigException e) {
            return false;
        }
    }

    private static String withExtraWord(String text, int lineIndex) {
        String[] lines = text.split("\n", -1);
        lines[lineIndex] = lines[lineIndex] + " " + EXTRA;
        return String.join("\n", lines);
    }

    private static boolean isKeywordLine(String line) {
        String t = line.strip();
        return !t.isEmpty() && !t.startsWith("#");
    }

    @Test
    void everyLineOfEveryConfigurationRefusesAnExtraWordAtThatLine() throws IOException {
        List<Config> configs = configs();
        assertTrue(configs.size() >= 20, "configurations found: " + configs.size());
        int lines = 0;
        List<String> failures = new ArrayList<>();
        for (Config c : configs) {
            String[] text = c.text().split("\n", -1);
            for (int i = 0; i < text.length; i++) {
                if (!isKeywordLine(text[i])) {
                    continue;
                }
                lines++;
                String first = text[i].strip().split("\\s+")[0];
                String at = "t.cfg:" + (i + 1) + ":";
                try {
                    RouterConfig parsed = ConfigParser.parse("t.cfg", withExtraWord(c.text(), i));
                    if (first.equals("acl")) {
                        assertTrue(aclsAt(parsed, i + 1).stream().allMatch(a -> a.patterns().contains(EXTRA)),
                                c.origin() + ": the extra word is one more pattern");
                    } else if (!(first.equals("defaults") && text[i].strip().equals("defaults"))
                            && !first.equals("unsetenv") && !first.equals("resetenv")) {
                        failures.add(c.origin() + " line " + (i + 1) + " accepted '" + text[i].strip() + " extra'");
                    }
                } catch (ConfigException e) {
                    if (e.errors().stream().noneMatch(err -> err.contains(at))) {
                        failures.add(c.origin() + " line " + (i + 1) + ": errors name other lines: " + e.errors());
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(lines >= 330, "lines tried: " + lines + " (the scenarios share one defaults section: ScenarioRig.RTMP_DEFAULTS)");
    }

    private static List<AclConfig> aclsAt(RouterConfig c, int line) {
        List<AclConfig> found = new ArrayList<>();
        for (FrontendConfig f : c.frontends()) {
            List<Condition> conditions = new ArrayList<>();
            f.routing().useBackends().forEach(r -> conditions.add(r.condition()));
            f.routing().contentRules().forEach(r -> conditions.add(r.condition()));
            f.routing().connectionRules().forEach(r -> conditions.add(r.condition()));
            for (Condition cond : conditions) {
                if (cond == null) {
                    continue;
                }
                cond.alternatives().forEach(terms -> terms.forEach(t -> t.acls().stream()
                        .filter(a -> a.where().line() == line).forEach(found::add)));
            }
        }
        return found;
    }

    @Test
    void theExamplesOfTheIssueAreRefusedWithTheWordNamed() {
        String base = "defaults\n mode rtmp\n %s\nfrontend f\n bind :1935\n default_backend b\nbackend b\n server s 127.0.0.1:1935\n";
        assertEquals(List.of("[ALERT] t.cfg:3: 'tcp-request inspect-delay 5' cannot handle unexpected argument 's'"),
                errors(base.formatted("tcp-request inspect-delay 5 s")));
        assertEquals(List.of("[ALERT] t.cfg:3: 'timeout client 30' cannot handle unexpected argument 's'"),
                errors(base.formatted("timeout client 30 s")));
        assertEquals(List.of("[ALERT] t.cfg:1: 'global' cannot handle unexpected argument 'now'"),
                errors("global now\n"));
        assertEquals(List.of("[ALERT] t.cfg:4: 'frontend f' cannot handle unexpected argument 'g'"),
                errors(base.formatted("timeout client 30s").replace("frontend f", "frontend f g")));
        assertEquals(List.of("[ALERT] t.cfg:9: 'hash-type' only supports 'sdbm', 'djb2', 'crc32', or 'wt6' hash "
                        + "functions (did you mean 'sdbm'?)"),
                errors(base.formatted("timeout client 30s") + " hash-type consistent sdmb\n"));
        assertEquals(List.of("[ALERT] t.cfg:9: server parameter 'id' expects a value"),
                errors(base.formatted("timeout client 30s") + " server t 127.0.0.1:1936 id\n"));
    }

    private static List<String> errors(String text) {
        try {
            ConfigParser.parse("t.cfg", text);
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("accepted:\n" + text);
    }

    /**
     * Debian's HAProxy on the same variants of the TCP configurations (mode rtmp is ours alone):
     * every line it refuses we refuse; the lines it accepts are named here, with what it does.
     */
    @Test
    void haproxyRefusesTheSameExtraWordsSaveForTheLaxLinesNamedHere(@TempDir Path dir) throws IOException {
        Programs.require("haproxy");
        // HAProxy 2.6 takes these with a word too many: a name for defaults, `tcp-request
        // inspect-delay 5s extra` (the rest is never read), `option redispatch extra` and
        // `balance roundrobin|source extra`, `setenv|presetenv NAME VALUE extra`, `tcp-check comment
        // TEXT extra` (the same).
        // rtmp-router refuses all but the first.
        Map<String, String> laxInHaproxy = Map.of(
                "defaults", "a defaults section's name",
                "tcp-request inspect-delay 5s", "the word is not read",
                "option redispatch", "the word is not read",
                "balance roundrobin", "the word is not read",
                "balance source", "the word is not read",
                "setenv ORIGIN 127.0.0.1", "the word is not read",
                "presetenv ORIGIN_PORT 1936", "the word is not read",
                "tcp-check comment ping", "the word is not read");
        TreeSet<String> acceptedByHaproxy = new TreeSet<>();
        int tried = 0;
        for (Config c : List.of(new Config("samples/haproxy-reference.cfg",
                Files.readString(Path.of("samples/haproxy-reference.cfg"))), new Config("every-tcp-keyword.cfg",
                everyTcpKeyword()))) {
            String[] text = c.text().split("\n", -1);
            for (int i = 0; i < text.length; i++) {
                if (!isKeywordLine(text[i])) {
                    continue;
                }
                tried++;
                Path file = dir.resolve("t.cfg");
                Files.writeString(file, withExtraWord(c.text(), i));
                Programs.Result r = Programs.run(List.of("haproxy", "-c", "-f", file.toString()), Map.of(),
                        Duration.ofSeconds(20));
                boolean ours = parses(withExtraWord(c.text(), i));
                if (r.exitCode() == 0) {
                    acceptedByHaproxy.add(text[i].strip());
                } else {
                    assertTrue(r.stdout().contains("ALERT") || r.stderr().contains("ALERT"), r.describe());
                    assertFalse(ours, "HAProxy refuses '" + text[i].strip() + " extra' and so must we");
                }
                if (ours) {
                    assertTrue(text[i].strip().startsWith("acl ") || text[i].strip().equals("defaults"), text[i]);
                }
            }
        }
        assertTrue(tried >= 50, "lines tried: " + tried);
        assertEquals(new TreeSet<>(laxInHaproxy.keySet()), acceptedByHaproxy);
    }
}
