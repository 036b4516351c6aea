package io.rtmprouter.config;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Any configuration text is either a configuration or a list of errors, each with its file and
 * line; never another exception. Seeds: the samples and every-tcp-keyword.cfg.
 */
class ConfigParserFuzzTest {
    /** Per run of scripts/test; scripts/fuzz runs it in rounds for longer. */
    static final String FUZZ_TIME = "10s";

    @FuzzTest(maxDuration = FUZZ_TIME)
    void anyTextIsAConfigurationOrErrorsWithTheirLines(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            ConfigParser.parse("f.cfg", text);
        } catch (ConfigException e) {
            assertFalse(e.errors().isEmpty());
            for (String error : e.errors()) {
                if (!error.startsWith("[ALERT] f.cfg:") && !error.startsWith("[ALERT] configuration ")) {
                    throw new AssertionError("an error without its line: " + error);
                }
            }
        }
    }
}
