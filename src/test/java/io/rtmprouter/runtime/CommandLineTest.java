package io.rtmprouter.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** HAProxy's CLI line: `;` between commands, blanks between words, a backslash quotes one character. */
class CommandLineTest {
    @Test
    void commandsAndWords() {
        assertEquals(List.of(List.of("show", "stat"), List.of("show", "info")), CommandLine.split("show stat;show info"));
        assertEquals(List.of(List.of("show", "stat", "-1", "4", "-1")), CommandLine.split("  show\tstat -1 4 -1 "));
        assertEquals(List.of(List.of("set", "map", "a;b", "c d")), CommandLine.split("set map a\\;b c\\ d"));
        assertEquals(List.of(List.of()), CommandLine.split(""));
    }
}
