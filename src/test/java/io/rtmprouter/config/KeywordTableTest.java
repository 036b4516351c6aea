package io.rtmprouter.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md's keyword table and the parser agree: every row's example loads as its
 * status says (implemented: no warning at its lines; warned: a warning at one of them; refused:
 * an error at one of them that names the keyword), and the table lists exactly HAProxy 2.6's
 * keywords, as the parser knows them, and rtmp-router's own.
 */
class KeywordTableTest {
    private static final Path DOC = Path.of("docs/configuration.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (implemented|warned|refused) \\| (.*?) \\| (.*?) \\|$");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final String DEFAULTS = """
            defaults
             mode tcp
             timeout connect 1s
             timeout client 1s
             timeout server 1s
            """;
    /** Keywords of the tables that HAProxy 2.6's manual does not list: removed ones it still names, and ours. */
    private static final Set<String> NOT_IN_HAPROXY_2_6 = Set.of("global nbproc", "proxy grace", "proxy contimeout",
            "proxy clitimeout", "proxy srvtimeout", "proxy rtmpt", "proxy option rtmp-check");

    enum Place {
        GLOBAL("### Global section", "global"),
        PROXY("### Proxy sections", "proxy"),
        BIND("### Bind lines", "bind"),
        SERVER("### Server and default-server lines", "server");

        final String heading;
        final String word;

        Place(String heading, String word) {
            this.heading = heading;
            this.word = word;
        }
    }

    record Row(Place place, String keyword, String status, List<String> example) {
    }

    /** A configuration holding the row's example, and the lines the example is on. */
    record Trial(String text, Set<Integer> lines) {
    }

    private static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String table = doc.substring(doc.indexOf("## Keyword status"));
        Place place = null;
        for (String line : table.split("\n")) {
            for (Place p : Place.values()) {
                if (line.startsWith(p.heading)) {
                    place = p;
                }
            }
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                List<String> example = new ArrayList<>();
                Matcher code = CODE.matcher(m.group(3));
                while (code.find()) {
                    example.add(code.group(1));
                }
                rows.add(new Row(place, m.group(1), m.group(2), example));
            } else if (place != null && line.startsWith("| `")) {
                // A row the pattern cannot read would drop out of every check below.
                throw new AssertionError("a keyword row that does not read as | `keyword` | status | example | why |: "
                        + line);
            }
        }
        return rows;
    }

    private static Trial trial(Row r) {
        List<String> example = r.example().isEmpty() ? List.of(r.keyword()) : r.example();
        StringBuilder text = new StringBuilder();
        Set<Integer> lines = new java.util.HashSet<>();
        switch (r.place()) {
            case GLOBAL -> {
                text.append("global\n");
                for (String e : example) {
                    text.append(' ').append(e).append('\n');
                    lines.add(lineCount(text));
                }
                text.append(DEFAULTS).append("listen l\n bind 127.0.0.1:1935\n server s 127.0.0.1:1936\n");
            }
            case PROXY -> {
                text.append(DEFAULTS).append("listen l\n bind 127.0.0.1:1935\n server s 127.0.0.1:1936\n");
                for (String e : example) {
                    text.append(' ').append(e).append('\n');
                    lines.add(lineCount(text));
                }
            }
            case BIND -> {
                // In mode rtmp, where a bind may terminate TLS.
                text.append(DEFAULTS).append("listen l\n mode rtmp\n bind 127.0.0.1:1935 ")
                        .append(String.join(" ", example)).append('\n');
                lines.add(lineCount(text));
                text.append(" server s 127.0.0.1:1936\n");
            }
            case SERVER -> {
                text.append(DEFAULTS).append("listen l\n bind 127.0.0.1:1935\n server s 127.0.0.1:1936 ")
                        .append(String.join(" ", example)).append('\n');
                lines.add(lineCount(text));
            }
        }
        return new Trial(text.toString(), lines);
    }

    private static int lineCount(CharSequence text) {
        return (int) text.chars().filter(c -> c == '\n').count();
    }

    private static boolean atLines(String message, Set<Integer> lines) {
        return lines.stream().anyMatch(n -> message.contains(" t.cfg:" + n + ": "));
    }

    @Test
    void everyRowLoadsAsItsStatusSays() throws IOException {
        List<Row> rows = rows();
        assertTrue(rows.size() > 450, "rows read: " + rows.size());
        List<String> failures = new ArrayList<>();
        for (Row r : rows) {
            Trial t = trial(r);
            String name = r.place().word + " '" + r.keyword() + "' (" + r.status() + ")";
            if (!r.status().equals("refused") && r.example().isEmpty()) {
                failures.add(name + ": has no example");
                continue;
            }
            try {
                RouterConfig c = ConfigParser.parse(List.of(new ConfigParser.Source("t.cfg", t.text())), java.util.Map.of());
                boolean warned = c.warnings().stream().anyMatch(w -> atLines(w, t.lines()));
                switch (r.status()) {
                    case "implemented" -> {
                        if (warned) {
                            failures.add(name + ": warned " + c.warnings());
                        }
                    }
                    case "warned" -> {
                        if (!warned) {
                            failures.add(name + ": no warning at its line " + c.warnings());
                        }
                    }
                    default -> failures.add(name + ": loaded");
                }
            } catch (ConfigException e) {
                String first = r.keyword();
                boolean named = e.errors().stream().anyMatch(m -> atLines(m, t.lines()) && m.contains(first));
                if (!r.status().equals("refused") || !named) {
                    failures.add(name + ": " + e.errors());
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " rows disagree with the parser:\n" + String.join("\n", failures));
    }

    @Test
    void theTableHoldsExactlyHaproxysKeywordsAndOurs() throws IOException {
        Set<String> table = new TreeSet<>();
        for (Row r : rows()) {
            assertTrue(table.add(r.place().word + " " + r.keyword()), "listed twice: " + r);
        }
        Set<String> known = new TreeSet<>(NOT_IN_HAPROXY_2_6);
        try (InputStream in = HaproxyKeywords.class.getResourceAsStream("haproxy-2.6-keywords.txt")) {
            Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(String::strip).forEach(known::add);
        }
        Set<String> onlyInTable = new TreeSet<>(table);
        onlyInTable.removeAll(known);
        Set<String> onlyInParser = new TreeSet<>(known);
        onlyInParser.removeAll(table);
        assertEquals(Set.of(), onlyInTable, "in the table, unknown to the parser");
        assertEquals(Set.of(), onlyInParser, "known to the parser, missing from the table");
    }
}
