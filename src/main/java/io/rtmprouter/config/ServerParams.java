package io.rtmprouter.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the parameters after `server NAME ADDR` or `default-server`. */
final class ServerParams {
    static final Set<String> FLAGS = Set.of("check", "no-check", "backup", "no-backup",
            "disabled", "enabled", "no-tfo", "send-proxy", "send-proxy-v2", "no-send-proxy", "no-send-proxy-v2",
            "check-send-proxy", "agent-check", "no-agent-check");
    static final Set<String> VALUED = Set.of("inter", "fastinter", "downinter", "rise", "fall",
            "weight", "maxconn", "maxqueue", "port", "on-marked-down", "on-marked-up", "observe", "error-limit", "on-error",
            "init-addr", "slowstart", "agent-port", "agent-inter", "agent-addr", "agent-send", "addr",
            "resolvers", "resolve-prefer", "resolve-net", "resolve-opts");
    /**
     * Parameters that change neither where nor whether traffic goes (numbering, HTTP cookies,
     * the framing of log servers, TCP Fast Open): accepted with a warning. Every other HAProxy
     * parameter is refused.
     */
    static final Map<String, Integer> IGNORED_WITH_ARGUMENT = Map.of("id", 1, "cookie", 1, "log-proto", 1);
    static final Set<String> IGNORED_FLAGS = Set.of("tfo");

    private ServerParams() {
    }

    static void apply(ServerDraft draft, List<String> args, SourceLocation where, List<String> warnings)
            throws ConfigException {
        for (int i = 0; i < args.size(); i++) {
            String p = args.get(i);
            if (FLAGS.contains(p)) {
                switch (p) {
                    case "check" -> draft.check = true;
                    case "no-check" -> draft.check = false;
                    case "backup" -> draft.backup = true;
                    case "no-backup" -> draft.backup = false;
                    case "disabled" -> draft.disabled = true;
                    case "enabled" -> draft.disabled = false;
                    case "send-proxy" -> draft.sendProxy = ProxyHeader.V1;
                    case "send-proxy-v2" -> draft.sendProxy = ProxyHeader.V2;
                    case "no-send-proxy", "no-send-proxy-v2" -> {
                        // HAProxy's no-send-proxy turns off whichever version an earlier default set.
                        if (draft.sendProxy == (p.equals("no-send-proxy") ? ProxyHeader.V1 : ProxyHeader.V2)) {
                            draft.sendProxy = null;
                        }
                    }
                    case "check-send-proxy" -> draft.checkSendProxy = true;
                    case "agent-check" -> draft.agentCheck = true;
                    case "no-agent-check" -> draft.agentCheck = false;
                    default -> {
                        // no-tfo: the default.
                    }
                }
            } else if (VALUED.contains(p)) {
                if (i + 1 >= args.size()) {
                    throw new ConfigException(where, "server parameter '" + p + "' expects a value");
                }
                setValue(draft, p, args.get(++i), where);
            } else if (IGNORED_WITH_ARGUMENT.containsKey(p)) {
                for (int n = IGNORED_WITH_ARGUMENT.get(p); n > 0; n--) {
                    if (++i >= args.size()) {
                        throw new ConfigException(where, "server parameter '" + p + "' expects a value");
                    }
                    args.get(i); // taken: an ignored parameter's value is no unexpected word
                }
                warnings.add(Warnings.ignored(where, "server parameter '" + p + "'"));
                if (p.equals("id")) {
                    draft.idWhere = where;
                }
            } else if (IGNORED_FLAGS.contains(p)) {
                warnings.add(Warnings.ignored(where, "server parameter '" + p + "'"));
            } else if (HaproxyKeywords.knows(HaproxyKeywords.Place.SERVER, p)) {
                throw Unsupported.keyword(where, "server parameter '" + p + "'");
            } else {
                var known = new java.util.ArrayList<String>(FLAGS);
                known.addAll(VALUED);
                throw new ConfigException(where, "unknown server parameter '" + p + "'" + Suggestions.hint(p, known));
            }
        }
    }

    private static void setValue(ServerDraft d, String p, String v, SourceLocation where) throws ConfigException {
        switch (p) {
            case "inter" -> d.inter = positive(Values.duration(v, where, p), where, p);
            case "fastinter" -> d.fastinter = positive(Values.duration(v, where, p), where, p);
            case "downinter" -> d.downinter = positive(Values.duration(v, where, p), where, p);
            case "rise" -> d.rise = Values.integer(v, where, p, 1, 1_000_000);
            case "fall" -> d.fall = Values.integer(v, where, p, 1, 1_000_000);
            case "weight" -> d.weight = Values.integer(v, where, p, 0, 256);
            case "maxconn" -> d.maxconn = Values.integer(v, where, p, 0, 1_000_000);
            case "maxqueue" -> d.maxqueue = Values.integer(v, where, p, 0, 1_000_000);
            case "port" -> d.checkPort = Values.integer(v, where, p, 1, 65535);
            case "observe" -> {
                switch (v) {
                    case "layer4" -> d.observe = true;
                    case "none" -> d.observe = false;
                    case "layer7" -> throw new ConfigException(where, "'observe layer7' watches HTTP responses, and"
                            + " rtmp-router relays no HTTP: use 'observe layer4'");
                    default -> throw new ConfigException(where, "'observe' expects 'layer4', 'layer7' or 'none', got '"
                            + v + "'");
                }
            }
            case "error-limit" -> d.errorLimit = Values.integer(v, where, p, 1, 1_000_000);
            case "slowstart" -> d.slowstart = Values.duration(v, where, p);
            case "agent-port" -> d.agentPort = Values.integer(v, where, p, 1, 65535);
            case "agent-inter" -> d.agentInter = positive(Values.duration(v, where, p), where, p);
            case "agent-addr" -> d.agentAddr = v;
            case "agent-send" -> d.agentSend = v;
            case "addr" -> {
                if (!Addresses.isIpLiteral(v)) {
                    throw new ConfigException(where, "'addr' : invalid address: '" + v + "' (rtmp-router takes an"
                            + " IPv4 or IPv6 address here, not a name)");
                }
                d.checkAddr = v;
            }
            case "init-addr" -> {
                java.util.List<String> methods = new java.util.ArrayList<>();
                for (String m : v.split(",")) {
                    if (!m.equals("last") && !m.equals("libc") && !m.equals("none") && !Addresses.isIpLiteral(m)) {
                        throw new ConfigException(where, "'init-addr' : unknown init-addr method '" + m
                                + "', supported methods are 'libc', 'last', 'none'.");
                    }
                    methods.add(m);
                }
                d.initAddr = List.copyOf(methods);
            }
            case "resolvers" -> d.resolvers = v;
            case "resolve-prefer" -> d.preferIpv6 = switch (v) {
                case "ipv4" -> false;
                case "ipv6" -> true;
                default -> throw new ConfigException(where, "'resolve-prefer' expects either ipv4 or ipv6 as argument.");
            };
            case "resolve-net" -> {
                List<Network> nets = new java.util.ArrayList<>();
                for (String n : v.split(",")) {
                    try {
                        nets.add(Network.parse(n, where));
                    } catch (ConfigException e) {
                        throw new ConfigException(where, "'resolve-net' invalid network '" + n + "'.");
                    }
                }
                d.preferredNets = List.copyOf(nets);
            }
            case "resolve-opts" -> {
                for (String o : v.split(",")) {
                    switch (o) {
                        case "allow-dup-ip" -> d.allowDuplicateIp = true;
                        case "prevent-dup-ip" -> d.allowDuplicateIp = false;
                        // Weights of SRV records, which rtmp-router refuses: nothing to ignore.
                        case "ignore-weight" -> { }
                        default -> throw new ConfigException(where, "'resolve-opts' : unknown resolve-opts option '" + o
                                + "', supported methods are 'allow-dup-ip', 'ignore-weight', and 'prevent-dup-ip'.");
                    }
                }
            }
            case "on-error" -> d.onError = switch (v) {
                case "fastinter" -> ServerConfig.OnError.FASTINTER;
                case "fail-check" -> ServerConfig.OnError.FAIL_CHECK;
                case "sudden-death" -> ServerConfig.OnError.SUDDEN_DEATH;
                case "mark-down" -> ServerConfig.OnError.MARK_DOWN;
                default -> throw new ConfigException(where, "'on-error' expects 'fastinter', 'fail-check',"
                        + " 'sudden-death' or 'mark-down', got '" + v + "'");
            };
            case "on-marked-down" -> {
                if (!v.equals("shutdown-sessions")) {
                    throw new ConfigException(where, "'on-marked-down' expects 'shutdown-sessions', got '" + v + "'");
                }
                d.shutdownSessionsOnDown = true;
            }
            case "on-marked-up" -> {
                if (!v.equals("shutdown-backup-sessions")) {
                    throw new ConfigException(where, "'on-marked-up' expects 'shutdown-backup-sessions', got '" + v + "'");
                }
                d.shutdownBackupSessionsOnUp = true;
            }
            default -> throw new IllegalStateException(p);
        }
    }

    private static java.time.Duration positive(java.time.Duration d, SourceLocation where, String p)
            throws ConfigException {
        if (d.isZero()) {
            throw new ConfigException(where, "server parameter '" + p + "' must be greater than zero");
        }
        return d;
    }
}
