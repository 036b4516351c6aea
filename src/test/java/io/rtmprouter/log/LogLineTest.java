package io.rtmprouter.log;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogLineTest {
    @Test
    void plainValuesStayBareAndOthersAreQuotedWithEscapes() {
        assertEquals("a=live b=\"two words\" c=\"x\\\"y\\\\z\" d=- e=\"\"",
                new LogLine().add("a", "live").add("b", "two words").add("c", "x\"y\\z").add("d", null).add("e", "")
                        .toString());
    }

    @Test
    void nothingAClientSendsCanBreakTheLineOrDriveATerminal() {
        // C0 controls, DEL, C1 controls (NEL), and the Unicode line and paragraph separators.
        String hostile = "a\nb\rc\td\u0000e\u001bf\u007fg\u0085h\u009fi\u2028j\u2029k";
        assertEquals("app=\"a\\nb\\rc\\td\\u0000e\\u001bf\\u007fg\\u0085h\\u009fi\\u2028j\\u2029k\"",
                new LogLine().add("app", hostile).toString());
        assertEquals("app=\"live\\u2028\"", new LogLine().add("app", "live\u2028").toString(), "quoted for it alone");
        assertEquals("app=caf\u00e9\u00a0", new LogLine().add("app", "caf\u00e9\u00a0").toString(),
                "other non-ASCII text as it is");
    }
}
