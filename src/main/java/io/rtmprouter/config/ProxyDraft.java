package io.rtmprouter.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A proxy section while it is being read. A new proxy starts as a copy of the `defaults`
 * section above it, which is how HAProxy inherits values.
 */
final class ProxyDraft {
    enum Kind {
        DEFAULTS, FRONTEND, BACKEND, LISTEN;

        boolean isFrontend() {
            return this == FRONTEND || this == LISTEN || this == DEFAULTS;
        }

        boolean isBackend() {
            return this == BACKEND || this == LISTEN || this == DEFAULTS;
        }

        String keyword() {
            return name().toLowerCase();
        }
    }

    final Kind kind;
    final String name;
    final SourceLocation where;

    ProxyMode mode;
    SourceLocation modeWhere;
    /**
     * Where a `defaults` section said `mode http`: allowed there, so that configurations whose
     * proxies all say `mode tcp` load; a proxy left in it is refused.
     */
    SourceLocation httpModeWhere;
    Integer maxconn;
    /** `log global` (the global section's targets), its own `log` lines, `log-tag`, `option tcplog`, `dontlognull`. */
    boolean logGlobal;
    List<LogTarget> logs = new ArrayList<>();
    String logTag;
    boolean tcplog;
    boolean dontLogNull;
    RtmptOptions rtmpt = RtmptOptions.DEFAULT;
    String defaultBackend;
    SourceLocation defaultBackendWhere;
    BalanceAlgorithm balance = BalanceAlgorithm.ROUNDROBIN;
    /** The first server line with an `id`, which `balance first` would order by. */
    SourceLocation serverIdWhere;
    HashType hashType = HashType.MAP_BASED;
    StickTableConfig stickTable;
    SourceConfig source;
    int retries = 3;
    boolean redispatch;
    boolean allBackups;
    boolean spliceRequest;
    boolean spliceResponse;
    boolean spliceAuto;
    /** `option clitcpka` (or `tcpka`): TCP keep-alive on client connections. */
    boolean clientKeepAlive;
    /** `option srvtcpka` (or `tcpka`): TCP keep-alive on server connections. */
    boolean serverKeepAlive;
    /** `option nolinger`: close with a reset, dropping what the kernel has not sent. */
    boolean noLinger;
    /** `disabled`: the proxy does not run (a frontend does not listen, a backend has no server to give). */
    boolean disabled;
    /** `backlog`: the listen queue of binds that set none; 0 for HAProxy's default (maxconn). */
    int backlog;
    /** `option tcp-check` / `option httpchk`; null: a TCP connect check. */
    HealthCheckConfig.Kind checkKind;
    /** The HTTP check's request, from `option httpchk` and `http-check send`. */
    CheckRule.HttpRequest checkRequest;
    private List<CheckRule> tcpCheckRules = new ArrayList<>();
    private List<CheckRule> httpCheckRules = new ArrayList<>();
    /** The rules are the defaults section's until this proxy writes one of its own, as in HAProxy. */
    private boolean checkRulesInherited;
    /** `option smtpchk`'s greeting command. */
    String smtpHello;
    /** The user of `option pgsql-check` / `mysql-check`; null for a MySQL greeting check. */
    String checkUser;
    /** `option mysql-check user NAME pre-41`: the old client packet. */
    boolean checkPre41;
    /** The application `option rtmp-check APP` connects to; null: the handshake alone. */
    String rtmpCheckApp;
    /** `tcp-check comment`: the comment of the rule that follows. */
    String pendingCheckComment;
    int checkConnectPort;
    boolean checkConnectPortSet;
    /** `tcp-check` lines so far: HAProxy numbers its steps by them, comments included. */
    int tcpCheckLines;
    Duration connect;
    Duration client;
    Duration server;
    Duration queue;
    Duration tunnel;
    Duration check;
    Duration httpRequest;
    Duration httpKeepAlive;
    Duration clientFin;
    Duration serverFin;
    ServerDraft defaultServer = new ServerDraft();
    final List<BindConfig> binds = new ArrayList<>();
    /** A bind line was seen, even one with an error: "no bind" would only repeat that error. */
    boolean bindDeclared;
    final List<StickRule> stickRules = new ArrayList<>();
    final List<ServerConfig> servers = new ArrayList<>();
    /** ACLs by name; every line of one name is ORed, as in HAProxy. */
    final Map<String, List<AclConfig>> acls = new LinkedHashMap<>();
    final List<UseBackendRule> useBackends = new ArrayList<>();
    final List<TcpRequestRule> connectionRules = new ArrayList<>();
    final List<TcpRequestRule> sessionRules = new ArrayList<>();
    final List<TcpRequestRule> contentRules = new ArrayList<>();
    Duration inspectDelay;
    SourceLocation inspectDelayWhere;
    /** Set in this section itself, not inherited from a defaults section. */
    boolean inspectDelaySetHere;
    /** The global `crt-base` when the section was opened (a `global` section cannot start inside it). */
    Path crtBase;

    ProxyDraft(Kind kind, String name, SourceLocation where) {
        this.kind = kind;
        this.name = name;
        this.where = where;
    }

    /** A proxy inheriting everything a `defaults` section can hold. */
    ProxyDraft(Kind kind, String name, SourceLocation where, ProxyDraft defaults) {
        this(kind, name, where);
        mode = defaults.mode;
        modeWhere = defaults.modeWhere;
        httpModeWhere = defaults.httpModeWhere;
        maxconn = defaults.maxconn;
        logGlobal = defaults.logGlobal;
        logs = new ArrayList<>(defaults.logs);
        logTag = defaults.logTag;
        tcplog = defaults.tcplog;
        dontLogNull = defaults.dontLogNull;
        rtmpt = defaults.rtmpt;
        defaultBackend = defaults.defaultBackend;
        defaultBackendWhere = defaults.defaultBackendWhere;
        balance = defaults.balance;
        hashType = defaults.hashType;
        source = defaults.source;
        retries = defaults.retries;
        redispatch = defaults.redispatch;
        allBackups = defaults.allBackups;
        spliceRequest = defaults.spliceRequest;
        spliceResponse = defaults.spliceResponse;
        spliceAuto = defaults.spliceAuto;
        clientKeepAlive = defaults.clientKeepAlive;
        serverKeepAlive = defaults.serverKeepAlive;
        noLinger = defaults.noLinger;
        backlog = defaults.backlog;
        disabled = defaults.disabled;
        checkKind = defaults.checkKind;
        checkRequest = defaults.checkRequest;
        smtpHello = defaults.smtpHello;
        rtmpCheckApp = defaults.rtmpCheckApp;
        checkUser = defaults.checkUser;
        checkPre41 = defaults.checkPre41;
        tcpCheckRules = defaults.tcpCheckRules;
        httpCheckRules = defaults.httpCheckRules;
        checkConnectPort = defaults.checkConnectPort;
        checkConnectPortSet = defaults.checkConnectPortSet;
        tcpCheckLines = defaults.tcpCheckLines;
        checkRulesInherited = true;
        connect = defaults.connect;
        client = defaults.client;
        server = defaults.server;
        queue = defaults.queue;
        tunnel = defaults.tunnel;
        check = defaults.check;
        httpRequest = defaults.httpRequest;
        httpKeepAlive = defaults.httpKeepAlive;
        clientFin = defaults.clientFin;
        serverFin = defaults.serverFin;
        inspectDelay = defaults.inspectDelay;
        inspectDelayWhere = defaults.inspectDelayWhere;
        defaultServer = defaults.defaultServer.copy();
    }

    SpliceOptions splice() {
        return new SpliceOptions(spliceRequest, spliceResponse, spliceAuto);
    }

    List<CheckRule> tcpCheckRules() {
        return tcpCheckRules;
    }

    List<CheckRule> httpCheckRules() {
        return httpCheckRules;
    }

    /** This proxy writes a check rule: from now on its rules are its own, not the defaults section's. */
    void rulesOwned() {
        if (checkRulesInherited) {
            tcpCheckRules = new ArrayList<>();
            httpCheckRules = new ArrayList<>();
            checkConnectPort = 0;
            checkConnectPortSet = false;
            tcpCheckLines = 0;
            checkRulesInherited = false;
        }
    }

    /** The check this backend's servers run, as `option tcp-check|httpchk` and the rules say. */
    HealthCheckConfig healthCheck() {
        if (checkKind == null || checkKind == HealthCheckConfig.Kind.CONNECT) {
            return HealthCheckConfig.CONNECT;
        }
        if (checkKind == HealthCheckConfig.Kind.REDIS) {
            return new HealthCheckConfig(checkKind, 0, false, CheckKeywords.REDIS_RULES);
        }
        if (checkKind == HealthCheckConfig.Kind.SMTP) {
            // HAProxy's explicit first connect is step 1 of the ruleset.
            return new HealthCheckConfig(checkKind, 0, true, CheckKeywords.smtpRules(smtpHello));
        }
        if (checkKind == HealthCheckConfig.Kind.LDAP) {
            return new HealthCheckConfig(checkKind, 0, false, CheckKeywords.LDAP_RULES);
        }
        if (checkKind == HealthCheckConfig.Kind.PGSQL) {
            return new HealthCheckConfig(checkKind, 0, true, CheckKeywords.pgsqlRules(checkUser));
        }
        if (checkKind == HealthCheckConfig.Kind.MYSQL) {
            return new HealthCheckConfig(checkKind, 0, true, CheckKeywords.mysqlRules(checkUser, checkPre41));
        }
        if (checkKind == HealthCheckConfig.Kind.RTMP) {
            return new HealthCheckConfig(checkKind, 0, false, List.of(new CheckRule.RtmpConnect(rtmpCheckApp)));
        }
        if (checkKind == HealthCheckConfig.Kind.SSL_HELLO) {
            return new HealthCheckConfig(checkKind, 0, false, CheckKeywords.sslHelloRules());
        }
        List<CheckRule> rules = new ArrayList<>();
        if (checkKind == HealthCheckConfig.Kind.HTTP) {
            rules.add(checkRequest != null ? checkRequest : CheckKeywords.DEFAULT_REQUEST);
            rules.addAll(httpCheckRules);
            if (httpCheckRules.stream().noneMatch(r -> r instanceof CheckRule.Expect)) {
                rules.add(CheckKeywords.DEFAULT_HTTP_EXPECT);
            }
        } else {
            rules.addAll(tcpCheckRules);
        }
        return new HealthCheckConfig(checkKind, checkConnectPort, checkConnectPortSet, rules);
    }

    /** The socket options of this proxy's client side (frontend) or server side (backend). */
    ConnectionOptions clientConnections() {
        return new ConnectionOptions(clientKeepAlive, noLinger);
    }

    ConnectionOptions serverConnections() {
        return new ConnectionOptions(serverKeepAlive, noLinger);
    }

    Timeouts timeouts() {
        return new Timeouts(connect, client, server, queue, tunnel, check, httpRequest, httpKeepAlive, clientFin,
                serverFin);
    }
}
