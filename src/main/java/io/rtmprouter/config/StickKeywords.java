package io.rtmprouter.config;

import java.util.List;

/** `stick-table` and `stick on|match|store-request src` lines of a backend or listen section. */
final class StickKeywords {
    private StickKeywords() {
    }

    static void stickTable(ProxyDraft p, List<String> w, SourceLocation where, List<String> warnings)
            throws ConfigException {
        if (p.kind == ProxyDraft.Kind.DEFAULTS || p.kind == ProxyDraft.Kind.FRONTEND) {
            throw new ConfigException(where, "'stick-table' is only supported in 'backend' and 'listen' sections here");
        }
        StickTableConfig.KeyType type = null;
        long size = -1;
        java.time.Duration expire = null;
        boolean nopurge = false;
        for (int i = 1; i < w.size(); i++) {
            String param = w.get(i);
            switch (param) {
                case "type" -> {
                    String t = ProxyKeywords.arg(w, ++i, where);
                    type = switch (t) {
                        case "ip", "ipv4" -> StickTableConfig.KeyType.IPV4;
                        case "ipv6" -> StickTableConfig.KeyType.IPV6;
                        case "integer", "string", "binary" -> throw new ConfigException(where,
                                "stick-table type '" + t + "' is not supported yet (only src is fetched: use ip, ipv4 or ipv6)");
                        default -> throw new ConfigException(where, "unknown stick-table type '" + t + "'"
                                + Suggestions.hint(t, List.of("ip", "ipv4", "ipv6")));
                    };
                }
                case "size" -> size = Values.size(ProxyKeywords.arg(w, ++i, where), where, "size");
                case "expire" -> expire = Values.duration(ProxyKeywords.arg(w, ++i, where), where, "expire");
                case "nopurge" -> nopurge = true;
                case "peers", "store", "srvkey", "write-to", "recv-only" -> {
                    warnings.add(Warnings.ignored(where, "stick-table parameter '" + param + " "
                            + ProxyKeywords.arg(w, i + 1, where) + "'"));
                    i++;
                }
                default -> throw new ConfigException(where, "unknown stick-table parameter '" + param + "'"
                        + Suggestions.hint(param, List.of("type", "size", "expire", "nopurge", "store", "peers")));
            }
        }
        if (type == null) {
            throw new ConfigException(where, "stick-table needs 'type'");
        }
        if (size <= 0) {
            throw new ConfigException(where, "stick-table needs a 'size' greater than zero");
        }
        p.stickTable = new StickTableConfig(type, size, expire, nopurge);
    }

    static void stick(ProxyDraft p, List<String> w, SourceLocation where) throws ConfigException {
        if (p.kind == ProxyDraft.Kind.DEFAULTS || p.kind == ProxyDraft.Kind.FRONTEND) {
            throw ProxyKeywords.notAllowed(p, "stick", where);
        }
        String verb = ProxyKeywords.arg(w, 1, where);
        StickRule.Kind kind = switch (verb) {
            case "on" -> StickRule.Kind.ON;
            case "match" -> StickRule.Kind.MATCH;
            case "store-request" -> StickRule.Kind.STORE_REQUEST;
            case "store-response" -> throw new ConfigException(where,
                    "'stick store-response' is not supported yet (only the client's src can be stored)");
            default -> throw new ConfigException(where, "unknown 'stick " + verb + "'"
                    + Suggestions.hint(verb, List.of("on", "match", "store-request")));
        };
        String fetch = ProxyKeywords.arg(w, 2, where);
        if (!fetch.equals("src")) {
            throw new ConfigException(where, "stick pattern '" + fetch + "' is not supported yet (supported: src)");
        }
        String table = p.name;
        for (int i = 3; i < w.size(); i++) {
            String param = w.get(i);
            if (param.equals("table")) {
                table = ProxyKeywords.arg(w, ++i, where);
            } else if (param.equals("if") || param.equals("unless")) {
                throw new ConfigException(where, "conditions on 'stick' rules are not supported yet");
            } else {
                throw new ConfigException(where, "unexpected '" + param + "' in stick rule (expected 'table NAME')");
            }
        }
        p.stickRules.add(new StickRule(kind, table, where));
    }
}
