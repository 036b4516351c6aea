package io.rtmprouter.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Applies one line of a `defaults`, `frontend`, `backend` or `listen` section to its draft. */
final class ProxyKeywords {
    static final Set<String> KEYWORDS = Set.of("bind", "mode", "maxconn", "default_backend", "balance",
            "hash-type", "stick-table", "stick", "server", "server-template", "default-server", "source", "retries", "option",
            "no", "timeout", "acl", "use_backend", "tcp-request", "rtmpt", "backlog", "enabled", "disabled", "tcp-check",
            "http-check", "log", "log-tag");
    /** Keywords of logging, the stats page, mail, and HTTP-only ones: warned about, then ignored. */
    private static final Map<String, Integer> IGNORED = IgnoredKeywords.PROXY;
    static final Set<String> OPTIONS_SUPPORTED = Set.of("redispatch", "allbackups", "splice-auto",
            "splice-request", "splice-response", "tcpka", "clitcpka", "srvtcpka", "nolinger", "tcp-check", "httpchk", "redis-check", "ssl-hello-chk", "smtpchk", "rtmp-check", "pgsql-check", "mysql-check", "ldap-check", "tcplog", "dontlognull");
    /** Options of logging and statistics, ACK timing, and HTTP-only ones HAProxy ignores in TCP mode. */
    static final Set<String> OPTIONS_IGNORED = Set.of("httplog", "httpslog",
            "log-health-checks", "logasap", "log-separate-errors", "dontlog-normal", "contstats", "socket-stats",
            "tcp-smart-accept", "tcp-smart-connect", "persist", "prefer-last-server", "http-server-close", "httpclose",
            "http-keep-alive", "forwardfor", "http-no-delay", "checkcache", "http-use-proxy-header", "originalto",
            "http-buffer-request", "http-ignore-probes", "http-pretend-keepalive", "http-restrict-req-hdr-names",
            "accept-invalid-http-request", "accept-invalid-http-response", "h1-case-adjust-bogus-client",
            "h1-case-adjust-bogus-server", "disable-h2-upgrade", "idle-close-on-response");
    /** Ignored options followed by words of their own (`option forwardfor except 127.0.0.0/8`), left unread. */
    private static final Set<String> OPTIONS_WITH_WORDS = Set.of("httplog", "forwardfor", "originalto",
            "http-restrict-req-hdr-names");
    private static final Set<String> TIMEOUTS = Set.of("connect", "client", "server", "queue", "tunnel", "check",
            "client-fin", "server-fin", "http-request", "http-keep-alive", "tarpit");

    private static final Set<String> HASH_FUNCTIONS = Set.of("sdbm", "djb2", "crc32", "wt6");

    private ProxyKeywords() {
    }

    static void apply(ProxyDraft p, LineWords w, SourceLocation where, List<String> warnings)
            throws ConfigException {
        String kw = w.get(0);
        if (IGNORED.containsKey(kw)) {
            warnings.add(Warnings.ignored(where, "'" + kw + "'"));
            IgnoredKeywords.take(w, IGNORED, where);
            return;
        }
        switch (kw) {
            case "bind" -> bind(p, w, where);
            case "mode" -> mode(p, w, where);
            case "maxconn" -> {
                int n = Values.integer(arg(w, 1, where), where, kw, 0, 10_000_000);
                if (p.kind.isFrontend()) {
                    p.maxconn = n;
                } else {
                    // HAProxy accepts maxconn in a backend and ignores it there.
                    warnings.add(Warnings.of(where, "'maxconn' ignored in backend '" + p.name
                            + "': limit servers with 'maxconn' on their server lines"));
                }
            }
            case "default_backend" -> {
                if (p.kind == ProxyDraft.Kind.BACKEND) {
                    throw notAllowed(p, kw, where);
                }
                p.defaultBackend = arg(w, 1, where);
                p.defaultBackendWhere = where;
            }
            case "acl" -> RuleKeywords.acl(p, w, where, warnings);
            case "use_backend" -> RuleKeywords.useBackend(p, w, where, warnings);
            case "tcp-request" -> RuleKeywords.tcpRequest(p, w, where, warnings);
            case "tcp-check" -> CheckKeywords.tcpCheckRule(p, w, where);
            case "http-check" -> CheckKeywords.httpCheckRule(p, w, where);
            case "rtmpt" -> rtmpt(p, w, where);
            case "balance" -> balance(p, w, where);
            case "hash-type" -> hashType(p, w, where, warnings);
            case "stick-table" -> StickKeywords.stickTable(p, w, where, warnings);
            case "stick" -> StickKeywords.stick(p, w, where);
            case "server" -> server(p, w, where, warnings);
            case "server-template" -> serverTemplate(p, w, where, warnings);
            case "default-server" -> {
                requireBackend(p, kw, where);
                ServerParams.apply(p.defaultServer, w.subList(1, w.size()), where, warnings);
            }
            case "source" -> source(p, w, where);
            case "retries" -> {
                requireBackend(p, kw, where);
                p.retries = Values.integer(arg(w, 1, where), where, kw, 0, 1000);
            }
            case "no" -> {
                if ("log".equals(w.peek(1))) {
                    w.get(1);
                    p.logGlobal = false; // `no log`: none of the inherited lines
                    p.logs = new java.util.ArrayList<>();
                } else {
                    option(p, w, where, warnings);
                }
            }
            case "option" -> option(p, w, where, warnings);
            case "log" -> {
                if ("global".equals(w.peek(1))) {
                    w.get(1);
                    p.logGlobal = true;
                } else {
                    p.logs.add(LogKeywords.target(w, where));
                }
            }
            case "log-tag" -> p.logTag = arg(w, 1, where);
            case "timeout" -> timeout(p, w, where, warnings);
            case "backlog" -> {
                if (!p.kind.isFrontend()) {
                    throw notAllowed(p, kw, where);
                }
                p.backlog = Values.integer(arg(w, 1, where), where, kw, 1, 1_000_000);
            }
            case "enabled" -> p.disabled = false;
            case "disabled" -> p.disabled = true;
            case "grace" -> throw new ConfigException(where, "'grace' is not supported any more since HAProxy 2.5"
                    + " (HAProxy refuses it too)");
            case "contimeout", "clitimeout", "srvtimeout" -> throw new ConfigException(where, "'" + kw
                    + "' was removed from HAProxy; use 'timeout " + switch (kw) {
                        case "contimeout" -> "connect";
                        case "clitimeout" -> "client";
                        default -> "server";
                    } + "'");
            default -> {
                String known = HaproxyKeywords.known(HaproxyKeywords.Place.PROXY, kw, w.peek(1));
                if (known != null) {
                    throw Unsupported.keyword(where, "'" + known + "'");
                }
                var accepted = new TreeSet<>(KEYWORDS);
                accepted.addAll(IGNORED.keySet());
                throw new ConfigException(where, "unknown keyword '" + kw + "' in '" + p.kind.keyword()
                        + "' section" + Suggestions.hint(kw, accepted));
            }
        }
    }

    private static void bind(ProxyDraft p, List<String> w, SourceLocation where) throws ConfigException {
        if (p.kind != ProxyDraft.Kind.FRONTEND && p.kind != ProxyDraft.Kind.LISTEN) {
            throw notAllowed(p, "bind", where);
        }
        p.bindDeclared = true;
        String name = null;
        int backlog = p.backlog;
        TlsDraft tls = new TlsDraft(p.crtBase);
        boolean acceptProxy = false;
        Boolean v6only = null;
        boolean transparent = false;
        boolean deferAccept = false;
        boolean fastOpen = false;
        String device = null;
        for (int i = 2; i < w.size(); i++) {
            String param = w.get(i);
            if (TlsDraft.PARAMETERS.contains(param)) {
                i = tls.read(w, i, where);
                continue;
            }
            switch (param) {
                case "name" -> name = arg(w, ++i, where);
                case "backlog" -> backlog = Values.integer(arg(w, ++i, where), where, "backlog", 1, 1_000_000);
                case "accept-proxy" -> acceptProxy = true;
                case "v4v6" -> v6only = false;
                case "v6only" -> v6only = true;
                case "transparent" -> transparent = true;
                case "defer-accept" -> deferAccept = true;
                case "tfo" -> fastOpen = true;
                case "interface" -> device = arg(w, ++i, where);
                default -> {
                    if (HaproxyKeywords.knows(HaproxyKeywords.Place.BIND, param)) {
                        throw Unsupported.keyword(where, "bind parameter '" + param + "'");
                    }
                    var known = new TreeSet<>(TlsDraft.PARAMETERS);
                    known.addAll(List.of("name", "backlog", "accept-proxy", "v4v6", "v6only", "transparent",
                            "defer-accept", "tfo", "interface"));
                    throw new ConfigException(where, "unknown bind parameter '" + param + "'"
                            + Suggestions.hint(param, known));
                }
            }
        }
        String address = arg(w, 1, where);
        TlsConfig tlsConfig = tls.build(address, where);
        for (Addresses.HostPort hp : Addresses.bindAddresses(address, where)) {
            for (int port = hp.portFrom(); port <= hp.portTo(); port++) {
                p.binds.add(new BindConfig(hp.host(), port, name, backlog, tlsConfig, acceptProxy,
                        new BindSocketOptions(v6only, transparent, deferAccept, fastOpen, device), where));
            }
        }
    }

    private static void mode(ProxyDraft p, List<String> w, SourceLocation where) throws ConfigException {
        String m = arg(w, 1, where);
        p.httpModeWhere = null;
        switch (m) {
            case "tcp" -> p.mode = ProxyMode.TCP;
            case "rtmp" -> p.mode = ProxyMode.RTMP;
            case "http" -> {
                if (p.kind != ProxyDraft.Kind.DEFAULTS) {
                    throw Unsupported.keyword(where, "'mode http'");
                }
                p.mode = null;
                p.httpModeWhere = where;
            }
            case "health", "spop" -> throw new ConfigException(where, "'mode " + m
                    + "' is not supported by rtmp-router (supported: tcp, rtmp)");
            default -> throw new ConfigException(where, "unknown mode '" + m + "'"
                    + Suggestions.hint(m, List.of("tcp", "rtmp")));
        }
        p.modeWhere = where;
    }

    private static void balance(ProxyDraft p, List<String> w, SourceLocation where) throws ConfigException {
        requireBackend(p, "balance", where);
        String algo = arg(w, 1, where);
        p.balance = switch (algo) {
            case "roundrobin" -> BalanceAlgorithm.ROUNDROBIN;
            case "leastconn" -> BalanceAlgorithm.LEASTCONN;
            case "source" -> BalanceAlgorithm.SOURCE;
            case "first" -> BalanceAlgorithm.FIRST;
            case "static-rr", "random", "uri", "url_param", "hdr", "rdp-cookie", "hash" ->
                    throw new ConfigException(where, "'balance " + algo
                            + "' is not supported by rtmp-router yet (supported: roundrobin, leastconn, source, first)");
            default -> throw new ConfigException(where, "unknown balance algorithm '" + algo + "'"
                    + Suggestions.hint(algo, List.of("roundrobin", "leastconn", "source", "first")));
        };
    }

    private static void hashType(ProxyDraft p, LineWords w, SourceLocation where, List<String> warnings)
            throws ConfigException {
        requireBackend(p, "hash-type", where);
        String method = arg(w, 1, where);
        p.hashType = switch (method) {
            case "map-based" -> HashType.MAP_BASED;
            case "consistent" -> HashType.CONSISTENT;
            default -> throw new ConfigException(where, "unknown hash-type '" + method + "'"
                    + Suggestions.hint(method, List.of("map-based", "consistent")));
        };
        // HAProxy: hash-type <method> [<function> [<modifier>]]
        String function = w.peek(2);
        if (function == null) {
            return;
        }
        if (!HASH_FUNCTIONS.contains(w.get(2))) {
            throw new ConfigException(where, "'hash-type' only supports 'sdbm', 'djb2', 'crc32', or 'wt6' hash functions"
                    + Suggestions.hint(function, HASH_FUNCTIONS));
        }
        String modifier = w.peek(3);
        if (modifier != null) {
            if (!modifier.equals("avalanche")) {
                throw new ConfigException(where, "'hash-type' only supports the 'avalanche' modifier, got '"
                        + modifier + "'");
            }
            w.get(3);
        }
        warnings.add(Warnings.of(where, "hash function '" + function + (modifier == null ? "" : " " + modifier)
                + "' is ignored: rtmp-router always hashes the client address with its own function"));
    }

    private static void server(ProxyDraft p, List<String> w, SourceLocation where, List<String> warnings)
            throws ConfigException {
        if (p.kind != ProxyDraft.Kind.BACKEND && p.kind != ProxyDraft.Kind.LISTEN) {
            throw notAllowed(p, "server", where);
        }
        String name = arg(w, 1, where);
        String addr = arg(w, 2, where);
        for (ServerConfig s : p.servers) {
            if (s.name().equals(name)) {
                throw new ConfigException(where, "server '" + name + "' already defined at " + s.where());
            }
        }
        Addresses.HostPort hp = Addresses.serverAddress(addr, where);
        ServerDraft d = p.defaultServer.copy();
        ServerParams.apply(d, w.subList(3, w.size()), where, warnings);
        if (d.idWhere != null && p.serverIdWhere == null) {
            p.serverIdWhere = d.idWhere;
        }
        ServerConfig built = d.build(name, hp.host(), hp.portFrom(), where);
        if (built.agent() != null && built.agent().port() == 0) {
            throw new ConfigException(where, "'server " + p.name + "/" + name + "' : server " + name
                    + " does not have agent port. Agent check has been disabled.");
        }
        p.servers.add(built);
    }

    /**
     * `server-template PREFIX N|FROM-TO ADDR[:PORT] [params]`: servers PREFIXi, all at ADDR, as
     * HAProxy declares them (without `resolvers`, which rtmp-router refuses, each keeps that address).
     */
    /** `N` or `FROM-TO`; six digits at most, so that the numbers parse (the bound is 100000). */
    private static final java.util.regex.Pattern TEMPLATE_RANGE = java.util.regex.Pattern.compile(
            "([0-9]{1,6})(?:-([0-9]{1,6}))?");

    private static void serverTemplate(ProxyDraft p, List<String> w, SourceLocation where, List<String> warnings)
            throws ConfigException {
        if (p.kind != ProxyDraft.Kind.BACKEND && p.kind != ProxyDraft.Kind.LISTEN) {
            throw notAllowed(p, "server-template", where);
        }
        String prefix = arg(w, 1, where);
        String range = arg(w, 2, where);
        java.util.regex.Matcher m = TEMPLATE_RANGE.matcher(range);
        if (!m.matches()) {
            throw new ConfigException(where, "Wrong server-template number or range arg '" + range + "'");
        }
        // `N` is 1..N, `FROM-TO` is FROM..TO.
        int from = m.group(2) == null ? 1 : Integer.parseInt(m.group(1));
        int to = Integer.parseInt(m.group(2) == null ? m.group(1) : m.group(2));
        if (from < 1 || to < from || to > 100_000) {
            throw new ConfigException(where, "Wrong server-template number or range arg '" + range + "'");
        }
        String addr = arg(w, 3, where);
        for (int i = from; i <= to; i++) {
            List<String> line = new java.util.ArrayList<>(List.of("server", prefix + i, addr));
            line.addAll(w.subList(4, w.size()));
            server(p, line, where, warnings);
        }
    }

    private static void source(ProxyDraft p, List<String> w, SourceLocation where) throws ConfigException {
        requireBackend(p, "source", where);
        Addresses.HostPort hp = Addresses.parse(arg(w, 1, where), where, false);
        boolean clientIp = false;
        for (int i = 2; i < w.size(); i++) {
            String param = w.get(i);
            if (param.equals("usesrc")) {
                String mode = arg(w, ++i, where);
                if (!mode.equals("clientip")) {
                    throw new ConfigException(where, "'usesrc " + mode + "' is not supported yet (supported: usesrc clientip)");
                }
                clientIp = true;
            } else {
                throw new ConfigException(where, "'source' parameter '" + param + "' is not supported"
                        + Suggestions.hint(param, List.of("usesrc")));
            }
        }
        p.source = new SourceConfig(hp.host() == null ? "0.0.0.0" : hp.host(), hp.portFrom(), clientIp, where);
    }

    private static void option(ProxyDraft p, LineWords w, SourceLocation where, List<String> warnings)
            throws ConfigException {
        boolean negated = w.get(0).equals("no");
        List<String> rest = negated ? w.subList(1, w.size()) : w;
        if (!arg(rest, 0, where).equals("option")) {
            throw new ConfigException(where, "'no' must be followed by 'option'");
        }
        String opt = arg(rest, 1, where);
        if (OPTIONS_SUPPORTED.contains(opt)) {
            switch (opt) {
                case "redispatch" -> {
                    requireBackend(p, "option " + opt, where);
                    p.redispatch = !negated;
                }
                case "allbackups" -> {
                    requireBackend(p, "option " + opt, where);
                    p.allBackups = !negated;
                }
                case "splice-request" -> p.spliceRequest = !negated;
                case "splice-response" -> p.spliceResponse = !negated;
                case "splice-auto" -> p.spliceAuto = !negated;
                case "clitcpka" -> p.clientKeepAlive = !negated;
                case "srvtcpka" -> p.serverKeepAlive = !negated;
                case "tcpka" -> {
                    p.clientKeepAlive = !negated;
                    p.serverKeepAlive = !negated;
                }
                case "nolinger" -> p.noLinger = !negated;
                case "tcplog" -> p.tcplog = !negated;
                case "dontlognull" -> p.dontLogNull = !negated;
                case "tcp-check", "httpchk", "redis-check", "smtpchk", "ssl-hello-chk", "rtmp-check", "pgsql-check",
                     "mysql-check", "ldap-check" ->
                        CheckKeywords.option(p, opt, negated, w, rest.subList(2, rest.size()), where);
                default -> throw new IllegalStateException("option " + opt + " is supported but not applied");
            }
        } else if (OPTIONS_IGNORED.contains(opt)) {
            warnings.add(Warnings.ignored(where, "'option " + opt + "'"));
            if (OPTIONS_WITH_WORDS.contains(opt)) {
                w.readAll();
            }
        } else if (HaproxyKeywords.knows(HaproxyKeywords.Place.PROXY, "option " + opt)) {
            throw Unsupported.keyword(where, "'option " + opt + "'");
        } else {
            var known = new TreeSet<>(OPTIONS_SUPPORTED);
            known.addAll(OPTIONS_IGNORED);
            throw new ConfigException(where, "unknown option '" + opt + "'" + Suggestions.hint(opt, known));
        }
    }

    private static void timeout(ProxyDraft p, List<String> w, SourceLocation where, List<String> warnings)
            throws ConfigException {
        String which = arg(w, 1, where);
        if (!TIMEOUTS.contains(which)) {
            throw new ConfigException(where, "unknown timeout '" + which + "'" + Suggestions.hint(which, TIMEOUTS));
        }
        var value = Values.duration(arg(w, 2, where), where, "timeout " + which);
        boolean frontendSide = which.equals("client") || which.equals("client-fin") || which.startsWith("http-");
        if (frontendSide ? !p.kind.isFrontend() : !p.kind.isBackend()) {
            warnings.add(Warnings.of(where, "'timeout " + which + "' ignored because " + p.kind.keyword() + " '"
                    + p.name + "' has no " + (frontendSide ? "frontend" : "backend") + " capability"));
            return;
        }
        switch (which) {
            case "connect" -> p.connect = value;
            case "client" -> p.client = value;
            case "server" -> p.server = value;
            case "queue" -> p.queue = value;
            case "tunnel" -> p.tunnel = value;
            case "check" -> p.check = value;
            case "http-request" -> p.httpRequest = value;
            case "http-keep-alive" -> p.httpKeepAlive = value;
            case "client-fin" -> p.clientFin = value;
            case "server-fin" -> p.serverFin = value;
            case "tarpit" -> warnings.add(Warnings.ignored(where, "'timeout tarpit'"));
            default -> throw Unsupported.keyword(where, "'timeout " + which + "'");
        }
    }

    /** `rtmpt max-sessions-per-source N` or `rtmpt any-source`: limits of the RTMPT path. */
    private static void rtmpt(ProxyDraft p, List<String> w, SourceLocation where) throws ConfigException {
        if (!p.kind.isFrontend()) {
            throw notAllowed(p, "rtmpt", where);
        }
        String what = arg(w, 1, where);
        switch (what) {
            case "max-sessions-per-source" -> {
                int n = Values.integer(arg(w, 2, where), where, "rtmpt max-sessions-per-source", 1, 10_000_000);
                p.rtmpt = new RtmptOptions(n, p.rtmpt.anySource());
            }
            case "any-source" -> {
                p.rtmpt = new RtmptOptions(p.rtmpt.maxSessionsPerSource(), true);
            }
            default -> throw new ConfigException(where, "unknown 'rtmpt' setting '" + what + "'"
                    + Suggestions.hint(what, Set.of("max-sessions-per-source", "any-source"))
                    + "; expected 'rtmpt max-sessions-per-source <n>' or 'rtmpt any-source'");
        }
    }

    static String arg(List<String> w, int i, SourceLocation where) throws ConfigException {
        if (i >= w.size() || w.get(i).isEmpty()) {
            throw new ConfigException(where, "'" + String.join(" ", w) + "' is missing an argument");
        }
        return w.get(i);
    }

    private static void requireBackend(ProxyDraft p, String kw, SourceLocation where) throws ConfigException {
        if (!p.kind.isBackend()) {
            throw notAllowed(p, kw, where);
        }
    }

    static ConfigException notAllowed(ProxyDraft p, String kw, SourceLocation where) {
        return new ConfigException(where, "'" + kw + "' is not allowed in a '" + p.kind.keyword() + "' section");
    }
}
