package io.rtmprouter.config;

import java.util.List;

/** The ACLs HAProxy defines for every proxy that make sense without HTTP. */
final class PredefinedAcls {
    private PredefinedAcls() {
    }

    static List<AclConfig> named(String name, SourceLocation where) throws ConfigException {
        return switch (name) {
            case "TRUE" -> List.of(src(name, where, "0.0.0.0/0", "::/0"));
            case "FALSE" -> List.of(src(name, where));
            case "LOCALHOST" -> List.of(src(name, where, "127.0.0.1/8", "::1"));
            default -> null;
        };
    }

    private static AclConfig src(String name, SourceLocation where, String... networks) throws ConfigException {
        List<Network> parsed = new java.util.ArrayList<>();
        for (String n : networks) {
            parsed.add(Network.parse(n, where));
        }
        return new AclConfig(name, Fetch.SRC, MatchMethod.IP, false, List.of(networks), List.of(), parsed, where);
    }
}
