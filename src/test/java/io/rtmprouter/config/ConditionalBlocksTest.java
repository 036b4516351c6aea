package io.rtmprouter.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `.if/.elif/.else/.endif` and the message directives, against what Debian's HAProxy 2.6.12 did with the same file. */
class ConditionalBlocksTest {
    private static RouterConfig parse(String name, String text) throws ConfigException {
        return ConfigParser.parse(List.of(new ConfigParser.Source(name, text)), Map.of());
    }

    private static List<String> errors(String text) {
        return assertThrows(ConfigException.class, () -> parse("t.cfg", text)).errors();
    }

    @Test
    void theBranchesTakenAreThoseHaproxyTook() throws Exception {
        Path file = Path.of("src/test/resources/config/conditional-blocks.cfg");
        RouterConfig c = parse("c.cfg", Files.readString(file));
        // HAProxy 2.6.12 listened on a and c with this file (ss -ltn while it ran).
        assertEquals(List.of("a", "c"), c.frontends().stream().map(FrontendConfig::name).toList());
        assertTrue(c.warnings().contains("[WARNING] c.cfg:31: 'take care'."), c.warnings().toString());
    }

    @Test
    void anAlertStopsTheConfigurationAndBlocksMustBeWellFormed() {
        assertEquals(List.of("[ALERT] t.cfg:2: 'stop here'."), errors(".if 1\n.alert \"stop here\"\n.endif\n"));
        assertEquals(List.of("[ALERT] t.cfg:1: non-terminated '.if' block (no '.endif' before the end of the file)"),
                errors(".if 1\nglobal\n"));
        assertEquals(List.of("[ALERT] t.cfg:1: '.endif' without a matching '.if'"), errors(".endif\n").subList(0, 1));
        assertEquals(List.of("[ALERT] t.cfg:3: '.else' already seen in the '.if' block at t.cfg:1"),
                errors(".if 0\n.else\n.else\n.endif\n").subList(0, 1));
        assertEquals(List.of("[ALERT] t.cfg:1: in condition 'nosuch(x)': unknown predicate 'nosuch'"),
                errors(".if nosuch(x)\n.endif\n").subList(0, 1));
    }

    @Test
    void versionsCompareAsHaproxyComparesThem() {
        assertTrue(ConditionalBlocks.compareVersions("2.6.12", "2.6") > 0);
        assertTrue(ConditionalBlocks.compareVersions("2.6.12", "2.6-dev19") > 0);
        assertTrue(ConditionalBlocks.compareVersions("2.6", "2.6-dev19") > 0, "a release is newer than its dev versions");
        assertTrue(ConditionalBlocks.compareVersions("2.6.12", "2.10") < 0, "numbers, not text");
        assertEquals(0, ConditionalBlocks.compareVersions("2.6.0", "2.6"));
    }
}
