package io.rtmprouter.config;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** `stick-table` and `stick on|match|store-request src` lines of a backend or listen section. */
final class StickKeywords {
    private StickKeywords() {
    }

    static void stickTable(ProxyDraft p, List<String> w, SourceLocation where, List<String> warnings)
            throws ConfigException {
        if (p.kind == ProxyDraft.Kind.DEFAULTS) {
            throw ProxyKeywords.notAllowed(p, "stick-table", where);
        }
        StickTableConfig.KeyType type = null;
        Map<StickData, Duration> stores = new EnumMap<>(StickData.class);
        long size = -1;
        Duration expire = null;
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
                case "store" -> store(ProxyKeywords.arg(w, ++i, where), stores, where, warnings);
                case "peers" -> throw new ConfigException(where, "stick-table parameter 'peers' is not supported by"
                        + " rtmp-router: its tables are not shared with other routers, so stickiness would differ"
                        + " from one to the next");
                case "srvkey" -> {
                    String k = ProxyKeywords.arg(w, ++i, where);
                    if (k.equals("addr")) {
                        throw new ConfigException(where, "stick-table 'srvkey addr' is not supported by rtmp-router:"
                                + " entries name their server ('srvkey name', the default)");
                    }
                    if (!k.equals("name")) {
                        throw new ConfigException(where, "stick-table: unknown srvkey '" + k + "' (expected name or addr)");
                    }
                }
                default -> throw new ConfigException(where, "unknown stick-table parameter '" + param + "'"
                        + Suggestions.hint(param, List.of("type", "size", "expire", "nopurge", "store", "srvkey")));
            }
        }
        if (type == null) {
            throw new ConfigException(where, "stick-table needs 'type'");
        }
        if (size <= 0) {
            throw new ConfigException(where, "stick-table needs a 'size' greater than zero");
        }
        p.stickTable = new StickTableConfig(type, size, expire, nopurge, stores);
    }

    /** `store name[(period)],...`: HAProxy's words for what an entry keeps. */
    private static void store(String list, Map<StickData, Duration> stores, SourceLocation where,
                              List<String> warnings) throws ConfigException {
        for (String item : list.split(",", -1)) {
            String name = item;
            String arg = null;
            int open = item.indexOf('(');
            if (open >= 0) {
                if (!item.endsWith(")")) {
                    throw new ConfigException(where, "stick-table: missing closing parenthesis after store option '"
                            + item.substring(0, open) + "'");
                }
                name = item.substring(0, open);
                arg = item.substring(open + 1, item.length() - 1);
            }
            String n = name;
            if (StickData.HTTP_ONLY.contains(name)) {
                throw new ConfigException(where, "stick-table: store option '" + name + "' counts HTTP requests,"
                        + " which rtmp-router never sees; it is refused rather than left at 0");
            }
            if (StickData.ARRAYS.contains(name)) {
                throw new ConfigException(where, "stick-table: store option '" + name + "' (the array of counters)"
                        + " is not supported by rtmp-router yet (use gpc0, gpc1, gpc0_rate, gpc1_rate, gpt0)");
            }
            StickData data = StickData.named(name).orElseThrow(() -> new ConfigException(where,
                    "stick-table: unknown store option '" + n + "'" + Suggestions.hint(n, StickData.keywords())));
            Duration period = Duration.ZERO;
            if (data.rate()) {
                if (arg == null || arg.isEmpty()) {
                    throw new ConfigException(where, "stick-table: missing argument to store option '" + name + "'");
                }
                period = Values.duration(arg, where, "store option '" + name + "'");
                if (period.isZero()) {
                    throw new ConfigException(where, "stick-table: the period of store option '" + name
                            + "' must be greater than zero");
                }
            } else if (arg != null) {
                throw new ConfigException(where, "stick-table: unexpected argument to store option '" + name + "'");
            }
            if (stores.containsKey(data)) {
                warnings.add(Warnings.of(where, "stick-table: store option '" + name + "' already enabled, ignored"));
                continue;
            }
            stores.put(data, period);
        }
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
