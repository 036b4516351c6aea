package io.rtmprouter.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** HAProxy's environment variables: `"$NAME"`, `"${NAME}"`, defaults, `[*]`, and the `setenv` family. */
class ConfigVariablesTest {
    private static final SourceLocation AT = new SourceLocation("t.cfg", 7);
    private static final Map<String, String> ENV = Map.of("H", "10.0.0.1", "OPTS", "check  inter 2s", "EMPTY", "");

    private static List<String> words(String line) throws ConfigException {
        return LineTokenizer.words(line, AT, name -> Optional.ofNullable(ENV.get(name)));
    }

    private static String error(String line) {
        return assertThrows(ConfigException.class, () -> words(line)).errors().get(0);
    }

    @Test
    void variablesExpandOnlyInsideDoubleQuotes() throws Exception {
        assertEquals(List.of("server", "s", "10.0.0.1:1935"), words("server s \"$H\":1935"));
        assertEquals(List.of("10.0.0.1x"), words("\"${H}x\""));
        assertEquals(List.of("10.0.0.1.x"), words("\"$H.x\""), "a name ends at the first character it cannot hold");
        assertEquals(List.of("$H", "${H}"), words("'$H' ${H}"));
        assertEquals(List.of("$H"), words("\"\\$H\""), "an escaped dollar is a dollar");
    }

    @Test
    void anUnsetVariableIsEmptyUnlessItHasADefault() throws Exception {
        assertEquals(List.of("127.0.0.1"), words("\"${NOPE}127.0.0.1\""));
        assertEquals(List.of("127.0.0.1:514"), words("\"${NOPE-127.0.0.1}:514\""));
        assertEquals(List.of(""), words("\"${EMPTY-x}\""), "a default replaces an unset variable, not an empty one");
    }

    @Test
    void aListVariableExpandsToOneWordPerItem() throws Exception {
        assertEquals(List.of("server", "s", "a:1", "check", "inter", "2s"), words("server s a:1 \"${OPTS[*]}\""));
    }

    @Test
    void aDollarThatStartsNoNameIsAnErrorAsInHaproxy() {
        // Positions count from 1, at the character HAProxy 2.6 points at.
        assertEquals("[ALERT] t.cfg:7: forbidden first char in environment variable name at position 5", error("a \"$ b\""));
        assertEquals("[ALERT] t.cfg:7: forbidden first char in environment variable name at position 3", error("\"$1\""));
        assertEquals("[ALERT] t.cfg:7: unmatched brace in environment variable name at position 5", error("a \"${H\""));
    }

    @Test
    void setenvAndItsKinChangeWhatTheLinesBelowThemRead() throws Exception {
        RouterConfig c = ConfigParser.parse(List.of(new ConfigParser.Source("t.cfg", """
                global
                 setenv ORIGIN 127.0.0.2
                 presetenv H 127.0.0.9
                 presetenv PORT 1936
                 setenv GONE x
                 unsetenv GONE
                defaults
                 mode tcp
                 timeout connect 1s
                 timeout client 1s
                 timeout server 1s
                listen l
                 bind 127.0.0.1:1935
                 server a "$ORIGIN":"$PORT"
                 server b "$H":1937
                 server c "${GONE-127.0.0.3}":1938
                 server "${.SECTION}-${.LINE}-${.FILE}" 127.0.0.4:1939
                """)), ENV);
        List<ServerConfig> servers = c.backends().get("l").servers();
        assertEquals("127.0.0.2:1936", servers.get(0).host() + ":" + servers.get(0).port());
        assertEquals("10.0.0.1", servers.get(1).host(), "presetenv leaves a variable the environment set");
        assertEquals("127.0.0.3", servers.get(2).host());
        assertEquals("l-17-t.cfg", servers.get(3).name(), "HAProxy's pseudo-variables: section, line, file");
    }

    @Test
    void resetenvKeepsOnlyTheNamedVariables() throws Exception {
        RouterConfig c = ConfigParser.parse(List.of(new ConfigParser.Source("t.cfg",
                "global\n resetenv OPTS\nlisten l\n mode tcp\n bind 127.0.0.1:1935\n"
                        + " server s \"${H-127.0.0.7}\":1 \"${OPTS[*]}\"\n")), ENV);
        ServerConfig s = c.backends().get("l").servers().get(0);
        assertEquals("127.0.0.7", s.host());
        assertEquals(true, s.check(), "OPTS was kept");
    }
}
