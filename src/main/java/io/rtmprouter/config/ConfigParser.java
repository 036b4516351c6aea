package io.rtmprouter.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads HAProxy-syntax configuration files into a {@link RouterConfig}. Every problem is
 * collected with its file:line before failing, so one run shows them all, as `haproxy -c` does.
 */
public final class ConfigParser {
    /** A configuration text and the name it is reported under. */
    public record Source(String name, String text) {
        public static Source of(Path file) throws IOException {
            return new Source(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        }
    }

    private static final Set<String> PROXY_SECTIONS = Set.of("defaults", "frontend", "backend", "listen");
    private static final Set<String> OTHER_SECTIONS = Set.of("userlist", "peers", "mailers", "program",
            "http-errors", "ring", "cache", "crt-store", "traces", "log-forward", "fcgi-app");

    private final List<String> files = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private Map<String, StickTableConfig> stickTables = Map.of();
    /** ACL lines whose counter tables were checked: an ACL used by several rules is reported once. */
    private final Set<AclConfig> checkedAcls = new HashSet<>();
    private final GlobalKeywords.Draft global = new GlobalKeywords.Draft();
    private final List<ProxyDraft> proxies = new ArrayList<>();
    /** For `${.SECTION}`: the current section's name, or its keyword when it has none. */
    private String sectionName = "";
    /** Named `defaults` sections, for `from NAME`. */
    private final Map<String, ProxyDraft> namedDefaults = new HashMap<>();
    private ProxyDraft defaults = new ProxyDraft(ProxyDraft.Kind.DEFAULTS, "", new SourceLocation("<builtin>", 0));

    private ConfigParser(Map<String, String> environment) {
        global.environment.putAll(environment);
    }

    /** Parses with the process's environment for `"${NAME}"` (and what `setenv` lines change in it). */
    public static RouterConfig parse(List<Source> sources) throws ConfigException {
        return parse(sources, System.getenv());
    }

    public static RouterConfig parse(List<Source> sources, Map<String, String> environment) throws ConfigException {
        ConfigParser parser = new ConfigParser(environment);
        for (Source source : sources) {
            parser.files.add(source.name());
            parser.read(source);
        }
        return parser.resolve();
    }

    public static RouterConfig parse(String name, String text) throws ConfigException {
        return parse(List.of(new Source(name, text)));
    }

    private enum Section { NONE, GLOBAL, PROXY, RESOLVERS, SKIPPED }

    /** `resolvers` sections, in the order they were declared. */
    private final Map<String, ResolversKeywords.Draft> resolvers = new LinkedHashMap<>();

    private void read(Source source) {
        Section section = Section.NONE;
        ProxyDraft proxy = null;
        ResolversKeywords.Draft resolversSection = null;
        String[] lines = source.text().split("\n", -1);
        ConditionalBlocks blocks = new ConditionalBlocks(global.environment);
        for (int i = 0; i < lines.length; i++) {
            SourceLocation where = new SourceLocation(source.name(), i + 1);
            try {
                LineWords w = new LineWords(LineTokenizer.words(lines[i], where, variables(where)));
                if (w.isEmpty() || blocks.handle(w, where, warnings)) {
                    continue;
                }
                if (!blocks.active()) {
                    // A line of a branch not taken: HAProxy reads it no further.
                    w.readAll();
                    continue;
                }
                String kw = w.get(0);
                if (kw.equals("global")) {
                    section = Section.GLOBAL;
                    sectionName = kw;
                } else if (PROXY_SECTIONS.contains(kw)) {
                    sectionName = w.size() > 1 ? w.get(1) : kw;
                    proxy = openProxy(w, where);
                    section = Section.PROXY;
                } else if (kw.equals("resolvers")) {
                    sectionName = w.size() > 1 ? w.get(1) : kw;
                    resolversSection = openResolvers(w, where);
                    section = Section.RESOLVERS;
                } else if (OTHER_SECTIONS.contains(kw)) {
                    sectionName = w.size() > 1 ? w.get(1) : kw;
                    warnings.add(Warnings.ignored(where, "section '" + kw + "'"));
                    section = Section.SKIPPED;
                    w.readAll();
                } else {
                    switch (section) {
                        case GLOBAL -> GlobalKeywords.apply(global, w, where, warnings);
                        case PROXY -> ProxyKeywords.apply(proxy, w, where, warnings);
                        case RESOLVERS -> ResolversKeywords.apply(resolversSection, w, where, warnings);
                        case SKIPPED -> w.readAll();
                        case NONE -> throw new ConfigException(where, "unknown keyword '" + kw
                                + "' out of section" + Suggestions.hint(kw, allSections()));
                    }
                }
                w.refuseUnread(where);
            } catch (ConfigException e) {
                errors.addAll(e.errors());
            }
        }
        blocks.endOfFile(errors);
    }

    private static final Pattern LOCATED = Pattern.compile("^\\[[A-Z]+\\] (.+?):(\\d+): ");

    /**
     * Errors and warnings together in the order of the lines they are about, as HAProxy prints
     * them while it reads; messages about no line (the whole configuration) come last.
     */
    private List<String> inFileOrder(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        all.sort(Comparator.comparingLong(this::position));
        return all;
    }

    private long position(String message) {
        Matcher m = LOCATED.matcher(message);
        if (!m.find() || !files.contains(m.group(1))) {
            return Long.MAX_VALUE;
        }
        return (long) files.indexOf(m.group(1)) << 32 | Long.parseLong(m.group(2));
    }

    /** The environment as the lines so far left it, and HAProxy's pseudo-variables of this line. */
    private Function<String, Optional<String>> variables(SourceLocation where) {
        return name -> switch (name) {
            case ".FILE" -> Optional.of(where.file());
            case ".LINE" -> Optional.of(Integer.toString(where.line()));
            case ".SECTION" -> Optional.of(sectionName);
            default -> Optional.ofNullable(global.environment.get(name));
        };
    }

    private ProxyDraft namedDefaults(String name, String keyword, String proxy, SourceLocation where)
            throws ConfigException {
        ProxyDraft d = namedDefaults.get(name);
        if (d == null) {
            throw new ConfigException(where, "defaults section '" + name + "' not found for " + keyword + " '" + proxy
                    + "'" + Suggestions.hint(name, namedDefaults.keySet()));
        }
        return d;
    }

    /** A section with an error in its first line is still read, so that its lines are checked and not taken for another's. */
    private ResolversKeywords.Draft openResolvers(LineWords w, SourceLocation where) {
        if (w.size() < 2) {
            errors.addAll(new ConfigException(where, "missing name for resolvers section.").errors());
            return new ResolversKeywords.Draft("", where);
        }
        String name = w.get(1);
        ResolversKeywords.Draft earlier = resolvers.get(name);
        ResolversKeywords.Draft d = new ResolversKeywords.Draft(name, where);
        if (earlier != null) {
            errors.addAll(new ConfigException(where, "resolvers '" + name + "' has same name as another resolvers"
                    + " (declared at " + earlier.where + ").").errors());
        } else {
            resolvers.put(name, d);
        }
        return d;
    }

    private static List<String> allSections() {
        List<String> all = new ArrayList<>(PROXY_SECTIONS);
        all.add("global");
        all.addAll(OTHER_SECTIONS);
        all.add("resolvers");
        return all;
    }

    private ProxyDraft openProxy(LineWords w, SourceLocation where) throws ConfigException {
        ProxyDraft.Kind kind = ProxyDraft.Kind.valueOf(w.get(0).toUpperCase());
        if (kind == ProxyDraft.Kind.DEFAULTS) {
            // `defaults [NAME] [from OTHER]`. A new defaults section starts again from the built-in
            // values, or from the named one it says, as in HAProxy.
            boolean unnamed = "from".equals(w.peek(1));
            String name = unnamed || w.size() < 2 ? "" : w.get(1);
            String from = unnamed ? ProxyKeywords.arg(w, 2, where)
                    : "from".equals(w.peek(2)) ? ProxyKeywords.arg(w, 3, where) : null;
            defaults = from == null ? new ProxyDraft(kind, name, where)
                    : new ProxyDraft(kind, name, where, namedDefaults(from, "defaults", name, where));
            if (!name.isEmpty()) {
                namedDefaults.put(name, defaults);
            }
            return defaults;
        }
        if (w.size() < 2) {
            throw new ConfigException(where, "'" + w.get(0) + "' section needs a name");
        }
        String name = w.get(1);
        if (!name.matches("[A-Za-z0-9_.:-]+")) {
            throw new ConfigException(where, "invalid " + w.get(0) + " name '" + name
                    + "' (letters, digits, '-', '_', '.' and ':' only)");
        }
        for (ProxyDraft other : proxies) {
            boolean clash = other.name.equals(name) && (other.kind == kind || other.kind == ProxyDraft.Kind.LISTEN
                    || kind == ProxyDraft.Kind.LISTEN);
            if (clash) {
                throw new ConfigException(where, other.kind.keyword() + " '" + name + "' already defined at " + other.where);
            }
        }
        // `from NAME`: inherit that named defaults section rather than the last one.
        boolean from = "from".equals(w.peek(2));
        ProxyDraft inherited = from ? namedDefaults(ProxyKeywords.arg(w, 3, where), w.get(0), name, where) : defaults;
        ProxyDraft p = new ProxyDraft(kind, name, where, inherited);
        p.crtBase = global.crtBase;
        if (kind == ProxyDraft.Kind.LISTEN && w.size() > 2 && !from) {
            ProxyKeywords.apply(p, new LineWords(List.of("bind", w.get(2))), where, warnings);
        }
        proxies.add(p);
        return p;
    }

    private RouterConfig resolve() throws ConfigException {
        stickTables = stickTables();
        Map<String, BackendConfig> backends = new LinkedHashMap<>();
        Map<String, ProxyDraft> backendDrafts = new LinkedHashMap<>();
        for (ProxyDraft p : proxies) {
            if (p.kind == ProxyDraft.Kind.BACKEND || p.kind == ProxyDraft.Kind.LISTEN) {
                backendDrafts.put(p.name, p);
            }
        }
        for (ProxyDraft p : backendDrafts.values()) {
            checkStickRules(p);
            warnIgnoredCheckRules(p);
            if (p.balance == BalanceAlgorithm.FIRST && p.serverIdWhere != null) {
                errors.add("[ALERT] " + p.serverIdWhere + ": server 'id' orders the servers of 'balance first' in"
                        + " HAProxy, and rtmp-router does not implement it: take the servers in their order, without 'id'");
            }
            ProxyMode mode = modeOf(p);
            List<TcpRequestRule> contentRules = new ArrayList<>();
            for (TcpRequestRule r : p.contentRules) {
                contentRules.add(tcpRequestRule(p, mode, r, false));
            }
            if (p.kind == ProxyDraft.Kind.BACKEND && p.inspectDelaySetHere) {
                warnings.add(Warnings.of(p.inspectDelayWhere, "'tcp-request inspect-delay' has no effect in backend '"
                        + p.name + "': its rules are run once the frontend's inspection is over"));
            }
            backends.put(p.name, new BackendConfig(p.name, mode, p.balance, p.hashType, p.stickTable,
                    p.stickRules, p.source, p.retries, p.redispatch, p.allBackups, p.splice(), p.serverConnections(), p.timeouts(), p.healthCheck(),
                    // A disabled backend gives no server, as HAProxy's (<NOSRV>); its sessions end with no_server.
                    p.disabled ? List.of() : p.servers,
                    contentRules, logging(p), p.where));
        }
        List<FrontendConfig> frontends = new ArrayList<>();
        for (ProxyDraft p : proxies) {
            if ((p.kind == ProxyDraft.Kind.FRONTEND || p.kind == ProxyDraft.Kind.LISTEN) && !p.disabled) {
                frontends.add(frontend(p, backends));
            }
            warnMissingTimeouts(p);
        }
        if (proxies.stream().noneMatch(p -> p.kind != ProxyDraft.Kind.BACKEND) && errors.isEmpty()) {
            errors.add("[ALERT] configuration has no frontend or listen section: nothing to listen on");
        }
        refuseSslBindDefaults();
        Map<String, ResolversConfig> resolverSections = resolverSections(backends.values());
        if (global.zeroWarning && !warnings.isEmpty() && errors.isEmpty()) {
            errors.add("[ALERT] Some warnings were found and 'zero-warning' is set. Aborting.");
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors, warnings, inFileOrder(errors, warnings));
        }
        return new RouterConfig(new GlobalConfig(global.maxconn, global.nbthread, global.splice, global.maxpipes,
                global.reusePort, new SocketBuffers(global.sndbufClient, global.rcvbufClient, global.sndbufServer,
                global.rcvbufServer), new StatsSocketConfig.Settings(global.statsSockets, global.statsTimeout,
                global.statsMaxconn)), frontends, backends, stickTables, resolverSections,
                inFileOrder(warnings, List.of()));
    }

    /**
     * The `resolvers` sections, each server's checked against them as HAProxy does. `default`,
     * when no section has that name, is HAProxy's built-in one: the name servers of resolv.conf.
     */
    private Map<String, ResolversConfig> resolverSections(java.util.Collection<BackendConfig> backends) {
        Map<String, ResolversConfig> out = new LinkedHashMap<>();
        for (BackendConfig b : backends) {
            for (ServerConfig s : b.servers()) {
                String name = s.resolution().resolvers();
                if (name == null) {
                    continue;
                }
                if (name.equals("default") && !resolvers.containsKey(name)) {
                    ResolversKeywords.Draft d = new ResolversKeywords.Draft(name, new SourceLocation("<builtin>", 0));
                    try {
                        ResolversKeywords.parseResolvConf(d, ResolversKeywords.RESOLV_CONF, s.where(), warnings);
                    } catch (ConfigException e) {
                        errors.addAll(e.errors());
                    }
                    resolvers.put(name, d);
                }
                if (!resolvers.containsKey(name)) {
                    errors.add("[ALERT] " + s.where() + ": proxy '" + b.name() + "', server '" + s.name()
                            + "': unable to find required resolvers '" + name + "'"
                            + Suggestions.hint(name, resolvers.keySet()));
                } else if (s.host().startsWith("_")) {
                    // HAProxy takes such a name for an SRV query, whose answers also give ports and weights.
                    errors.add("[ALERT] " + s.where() + ": server '" + b.name() + "/" + s.name() + "' : SRV record"
                            + " resolution ('" + s.host() + "') is not supported by rtmp-router: name the servers' A or"
                            + " AAAA records");
                }
            }
        }
        for (ResolversKeywords.Draft d : resolvers.values()) {
            if (d.nameservers.isEmpty()) {
                // HAProxy's words; its servers never get an answer.
                warnings.add("[WARNING] resolvers '" + d.name + "' [" + d.where + "] has no nameservers configured!");
            }
            out.put(d.name, d.build());
        }
        return out;
    }

    /** The tables rules can name, by proxy name; a frontend and a backend of one name cannot both have one. */
    private Map<String, StickTableConfig> stickTables() {
        Map<String, StickTableConfig> tables = new HashMap<>();
        Map<String, ProxyDraft> owners = new HashMap<>();
        for (ProxyDraft p : proxies) {
            if (p.stickTable == null) {
                continue;
            }
            ProxyDraft other = owners.putIfAbsent(p.name, p);
            if (other != null) {
                errors.add("[ALERT] " + p.where + ": stick-table name '" + p.name + "' conflicts with the table of "
                        + other.kind.keyword() + " '" + other.name + "' at " + other.where);
                continue;
            }
            tables.put(p.name, p.stickTable);
        }
        return tables;
    }

    /**
     * `ssl-default-bind-*` changes which clients a TLS bind lets in; rtmp-router does not apply
     * it, so it is harmless only while no bind uses ssl.
     */
    private void refuseSslBindDefaults() {
        if (global.sslBindDefaults == null) {
            return;
        }
        for (ProxyDraft p : proxies) {
            for (BindConfig b : p.binds) {
                if (b.tls() != null) {
                    errors.add("[ALERT] " + global.sslBindDefaults + ": 'ssl-default-bind-*' is not supported by"
                            + " rtmp-router, and the bind at " + b.where() + " uses ssl: set 'ssl-min-ver' and"
                            + " 'ssl-max-ver' on the bind line instead");
                    return;
                }
            }
        }
    }

    private ProxyMode modeOf(ProxyDraft p) {
        if (p.mode == null && p.httpModeWhere != null) {
            errors.add("[ALERT] " + p.where + ": " + p.kind.keyword() + " '" + p.name + "' is in 'mode http' (from the"
                    + " defaults at " + p.httpModeWhere + "), which is not supported by rtmp-router: say 'mode tcp' or"
                    + " 'mode rtmp' in it");
            return ProxyMode.TCP;
        }
        if (p.mode == null) {
            warnings.add(Warnings.of(p.where, p.kind.keyword() + " '" + p.name + "' sets no 'mode': HAProxy would use"
                    + " 'mode http', which rtmp-router does not implement; using 'mode tcp'"));
            return ProxyMode.TCP;
        }
        return p.mode;
    }

    private FrontendConfig frontend(ProxyDraft p, Map<String, BackendConfig> backends) {
        if (p.binds.isEmpty() && !p.bindDeclared) {
            errors.add("[ALERT] " + p.where + ": " + p.kind.keyword() + " '" + p.name + "' has no 'bind' directive");
        }
        String backend = p.defaultBackend;
        if (backend == null && p.kind == ProxyDraft.Kind.LISTEN) {
            backend = p.name;
        }
        ProxyMode mode = p.kind == ProxyDraft.Kind.LISTEN ? backends.get(p.name).mode() : modeOf(p);

        SourceLocation defaultWhere = p.defaultBackendWhere != null ? p.defaultBackendWhere : p.where;
        if (backend == null && p.useBackends.isEmpty()) {
            errors.add("[ALERT] " + p.where + ": frontend '" + p.name + "' has no 'default_backend'");
        } else if (backend == null) {
            warnings.add(Warnings.of(p.where, "frontend '" + p.name + "' has no 'default_backend': sessions that"
                    + " match no 'use_backend' rule are closed"));
        } else {
            checkBackend(p, mode, backend, defaultWhere, "default_backend", backends);
        }
        List<UseBackendRule> useBackends = new ArrayList<>();
        for (UseBackendRule r : p.useBackends) {
            checkBackend(p, mode, r.backend(), r.where(), "use_backend", backends);
            useBackends.add(new UseBackendRule(r.backend(), resolve(p, mode, r.condition(), r.where(), false), r.where()));
        }
        List<TcpRequestRule> connectionRules = new ArrayList<>();
        for (TcpRequestRule r : p.connectionRules) {
            connectionRules.add(tcpRequestRule(p, mode, r, true));
        }
        List<TcpRequestRule> sessionRules = new ArrayList<>();
        for (TcpRequestRule r : p.sessionRules) {
            sessionRules.add(tcpRequestRule(p, mode, r, true));
        }
        List<TcpRequestRule> contentRules = new ArrayList<>();
        if (p.kind == ProxyDraft.Kind.LISTEN) {
            // A listen's rules were read once already, as those of its backend half, in the same mode.
            contentRules.addAll(backends.get(p.name).contentRules());
        } else {
            for (TcpRequestRule r : p.contentRules) {
                contentRules.add(tcpRequestRule(p, mode, r, false));
            }
        }
        if (p.inspectDelay != null && mode != ProxyMode.RTMP && p.kind != ProxyDraft.Kind.DEFAULTS) {
            warnings.add(Warnings.of(p.inspectDelayWhere, "'tcp-request inspect-delay' has no effect in " + p.kind.keyword()
                    + " '" + p.name + "': in mode tcp rtmp-router inspects no content (only 'src' and stick counters can be fetched)"));
        }
        RoutingConfig routing = new RoutingConfig(p.inspectDelay, connectionRules, sessionRules, contentRules,
                useBackends, backend);
        return new FrontendConfig(p.name, p.binds, mode, p.maxconn == null ? 0 : p.maxconn, routing, p.timeouts(),
                p.splice(), p.rtmpt, p.clientConnections(), logging(p), p.where);
    }

    /** `log global` takes the global section's lines, then the proxy's own, as HAProxy does. */
    private LogTarget.Settings logging(ProxyDraft p) {
        List<LogTarget> targets = new ArrayList<>();
        if (p.logGlobal) {
            targets.addAll(global.logs);
        }
        targets.addAll(p.logs);
        return new LogTarget.Settings(targets, p.logTag != null ? p.logTag : global.logTag, p.tcplog, p.dontLogNull);
    }

    private void checkBackend(ProxyDraft p, ProxyMode mode, String backend, SourceLocation where, String keyword,
                              Map<String, BackendConfig> backends) {
        BackendConfig b = backends.get(backend);
        if (b == null) {
            errors.add("[ALERT] " + where + ": " + p.kind.keyword() + " '" + p.name + "' has unknown " + keyword + " '"
                    + backend + "'" + Suggestions.hint(backend, backends.keySet()));
        } else if (b.mode() == ProxyMode.RTMP && mode != ProxyMode.RTMP) {
            // A mode tcp frontend does not terminate the handshake, so it cannot hand an RTMP backend a session.
            errors.add("[ALERT] " + where + ": " + p.kind.keyword() + " '" + p.name + "' in mode " + mode.keyword()
                    + " cannot use backend '" + backend + "' in mode " + b.mode().keyword());
        }
    }

    private TcpRequestRule tcpRequestRule(ProxyDraft p, ProxyMode mode, TcpRequestRule r, boolean atConnection) {
        if (r.action() == TcpRequestRule.Action.TRACK && !stickTables.containsKey(r.table())) {
            errors.add("[ALERT] " + r.where() + ": Proxy '" + p.name + "': unable to find table '" + r.table()
                    + "' referenced by track-sc" + r.counter() + "."
                    + Suggestions.hint(r.table(), stickTables.keySet()));
        }
        return r.withCondition(resolve(p, mode, r.condition(), r.where(), atConnection));
    }

    /** A counter fetch's table must exist; one that does not store what the fetch reads never has a value. */
    private void checkCounterTables(ProxyDraft p, Condition c) {
        for (AclConfig acl : c.acls()) {
            CounterFetch f = acl.counter();
            if (f == null || f.table() == null || !checkedAcls.add(acl)) {
                continue;
            }
            SourceLocation where = acl.where();
            StickTableConfig t = stickTables.get(f.table());
            if (t == null) {
                errors.add("[ALERT] " + where + ": unable to find table '" + f.table() + "' referenced in arg "
                        + (f.keyword().startsWith("sc_") ? 2 : 1) + " of ACL keyword '" + f.keyword() + "' in proxy '"
                        + p.name + "'." + Suggestions.hint(f.table(), stickTables.keySet()));
            } else if (f.what().data() != null && !t.stores(f.what().data())
                    && !(f.what().read() == CounterFetch.Read.INCREMENT && t.stores(rateOf(f.what().data())))) {
                warnings.add(Warnings.of(where, "fetch '" + f + "' reads '" + f.what().data().keyword()
                        + "', which table '" + f.table() + "' does not store: it never has a value"));
            }
        }
    }

    /** inc_gpc0 counts into gpc0_rate as well, so it works with either stored. */
    private static StickData rateOf(StickData counter) {
        return counter == StickData.GPC0 ? StickData.GPC0_RATE : counter == StickData.GPC1 ? StickData.GPC1_RATE : counter;
    }

    private Condition resolve(ProxyDraft p, ProxyMode mode, Condition c, SourceLocation where, boolean atConnection) {
        if (c == null) {
            return null;
        }
        try {
            Condition resolved = c.resolve(p.acls, where);
            checkCounterTables(p, resolved);
            for (Fetch f : resolved.fetches()) {
                if (f.needsRtmp() && atConnection) {
                    errors.add("[ALERT] " + where + ": fetch '" + f.keyword() + "' is not known yet at"
                            + " 'tcp-request connection' or 'session' time; use 'tcp-request content'");
                } else if (f.needsRtmp() && mode != ProxyMode.RTMP) {
                    errors.add("[ALERT] " + where + ": fetch '" + f.keyword() + "' needs 'mode rtmp', but "
                            + p.kind.keyword() + " '" + p.name + "' is in mode " + mode.keyword());
                }
            }
            return resolved;
        } catch (ConfigException e) {
            errors.addAll(e.errors());
            return c;
        }
    }

    /** HAProxy runs `tcp-check` / `http-check` rules only under their option, and says so. */
    private void warnIgnoredCheckRules(ProxyDraft p) {
        if (!p.tcpCheckRules().isEmpty() && p.checkKind != HealthCheckConfig.Kind.TCP) {
            warnings.add(Warnings.of(p.where, p.kind.keyword() + " '" + p.name + "' uses tcp-check rules without"
                    + " 'option tcp-check', so the rules are ignored"));
        }
        if (!p.httpCheckRules().isEmpty() && p.checkKind != HealthCheckConfig.Kind.HTTP) {
            warnings.add(Warnings.of(p.where, p.kind.keyword() + " '" + p.name + "' uses http-check rules without"
                    + " 'option httpchk', so the rules are ignored"));
        }
    }

    private void checkStickRules(ProxyDraft p) {
        for (StickRule rule : p.stickRules) {
            if (stickTables.containsKey(rule.table())) {
                continue;
            }
            if (proxies.stream().anyMatch(o -> o.name.equals(rule.table()))) {
                errors.add("[ALERT] " + rule.where() + ": stick rule refers to '" + rule.table()
                        + "', which has no stick-table");
            } else {
                errors.add("[ALERT] " + rule.where() + ": stick rule refers to unknown table '" + rule.table() + "'"
                        + Suggestions.hint(rule.table(), stickTables.keySet()));
            }
        }
    }

    private void warnMissingTimeouts(ProxyDraft p) {
        List<String> missing = new ArrayList<>();
        boolean fe = p.kind == ProxyDraft.Kind.FRONTEND || p.kind == ProxyDraft.Kind.LISTEN;
        boolean be = p.kind == ProxyDraft.Kind.BACKEND || p.kind == ProxyDraft.Kind.LISTEN;
        if (fe && p.client == null) {
            missing.add("'client'");
        }
        if (be && p.connect == null) {
            missing.add("'connect'");
        }
        if (be && p.server == null) {
            missing.add("'server'");
        }
        if (!missing.isEmpty()) {
            warnings.add(Warnings.of(p.where, "missing timeouts for " + p.kind.keyword() + " '" + p.name
                    + "': without " + String.join(", ", missing) + " a stalled peer holds its connection forever"));
        }
    }
}
