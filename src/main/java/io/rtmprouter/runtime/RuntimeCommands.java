package io.rtmprouter.runtime;

import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.proxy.FrontendStats;
import io.rtmprouter.proxy.Router;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.config.StickTableConfig;
import io.rtmprouter.stick.StickTable;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The commands of HAProxy's runtime API that read, answered from the running router in HAProxy's
 * words and formats; the server ends each with the blank line HAProxy ends its answers with. What
 * changes the running router comes with issue 15's commands: until then it is an unknown
 * command, as HAProxy answers a level that lacks it.
 */
final class RuntimeCommands {
    /** `help`'s lines, HAProxy's wording for the commands this router answers, in its order. */
    static final List<String> HELP = List.of(
            "  operator                                : lower the level of the current CLI session to operator",
            "  show backend                            : list backends in the current running config",
            "  show cli level                          : display the level of the current CLI session",
            "  show info [desc|json|typed|float]*      : report information about the running process",
            "  show servers state [<backend>]          : dump volatile server information (all or for a single backend)",
            "  show sess [id]                          : report the list of current sessions or dump this exact session",
            "  show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server",
            "  show table <table> [<filter>]*          : report table usage stats or dump this table's contents (filter: data/key)",
            "  show version                            : show version of the current process",
            "  user                                    : lower the level of the current CLI session to user",
            "  help [<command>]                        : list matching or all commands",
            "  prompt                                  : toggle interactive mode with prompt",
            "  quit                                    : disconnect");

    private final Router router;
    private final String version;

    RuntimeCommands(Router router, String version) {
        this.router = router;
        this.version = version;
    }

    /** One CLI session's state: its level, which `user` and `operator` lower. */
    static final class Conversation {
        Level level;

        Conversation(Level level) {
            this.level = level;
        }
    }

    /** The answer to one command (its words already split), without the blank line that ends it; never null. */
    String answer(List<String> w, Conversation c) {
        if (w.isEmpty()) {
            return "";
        }
        switch (w.get(0)) {
            case "help":
                return usage("The following commands are valid at this level:\n");
            case "user":
                c.level = Level.USER;
                return "";
            case "operator":
                if (!c.level.allows(Level.OPERATOR)) {
                    return denied();
                }
                c.level = Level.OPERATOR;
                return "";
            case "show":
                break;
            default:
                return unknown();
        }
        String what = w.size() > 1 ? w.get(1) : "";
        return switch (what) {
            case "version" -> version + "\n";
            case "info" -> ShowInfo.render(router, version);
            case "stat" -> showStat(w.subList(2, w.size()));
            case "backend" -> showBackend();
            case "servers" -> w.size() > 2 && w.get(2).equals("state") ? serversState(w.size() > 3 ? w.get(3) : null)
                    : unknown();
            case "sess" -> c.level.allows(Level.OPERATOR) ? showSess() : denied();
            case "table" -> showTable(w.size() > 2 ? w.get(2) : null);
            case "cli" -> w.size() > 2 && w.get(2).equals("level") ? c.level.word() + "\n" : unknown();
            default -> unknown();
        };
    }

    private static String denied() {
        return "Permission denied\n";
    }

    /** HAProxy's answer to a command it does not have. */
    static String unknown() {
        return usage("Unknown command, but maybe one of the following ones is a better match:\n");
    }

    private static String usage(String first) {
        StringBuilder b = new StringBuilder(first);
        HELP.forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    /** `show stat [IID TYPE SID]`: with HAProxy's filter, TYPE a mask of 1 frontends, 2 backends, 4 servers. */
    private String showStat(List<String> args) {
        String all = new ShowStat(router, StatColumns.HAPROXY_2_6).render();
        if (args.size() < 3) {
            return all;
        }
        int iid;
        int type;
        int sid;
        try {
            iid = Integer.parseInt(args.get(0));
            type = Integer.parseInt(args.get(1));
            sid = Integer.parseInt(args.get(2));
        } catch (NumberFormatException e) {
            return all;
        }
        StringBuilder b = new StringBuilder();
        String[] lines = all.split("\n");
        b.append(lines[0]).append('\n');
        int iidAt = StatColumns.HAPROXY_2_6.index("iid");
        int sidAt = StatColumns.HAPROXY_2_6.index("sid");
        int typeAt = StatColumns.HAPROXY_2_6.index("type");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            int rowType = Integer.parseInt(f[typeAt]);
            boolean typeOk = type == -1 || (type & (1 << rowType)) != 0;
            boolean iidOk = iid == -1 || Integer.parseInt(f[iidAt]) == iid;
            boolean sidOk = sid == -1 || Integer.parseInt(f[sidAt]) == sid;
            if (typeOk && iidOk && sidOk) {
                b.append(lines[i]).append('\n');
            }
        }
        return b.toString();
    }

    private String showBackend() {
        StringBuilder b = new StringBuilder("# name\n");
        for (String name : router.pools().keySet()) {
            b.append(name).append('\n');
        }
        return b.toString();
    }

    /**
     * `show servers state`: HAProxy's version-1 dump, one line per server with its numeric states
     * (srv_op_state 0 stopped, 2 running; srv_admin_state 1 forced maintenance, 8 resolution).
     */
    private String serversState(String only) {
        StringBuilder b = new StringBuilder("1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state"
                + " srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result"
                + " srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port"
                + " srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n");
        for (Map.Entry<String, BackendPool> e : proxyIds().entrySet()) {
            BackendPool pool = e.getValue();
            if (only != null && !only.equals(pool.name())) {
                continue;
            }
            int srvId = 1;
            for (Server s : pool.servers()) {
                InetSocketAddress a = s.address();
                int op = s.status() == Server.Status.UP ? 2 : 0;
                int admin = (s.forcedMaintenance() ? 1 : 0) | (s.unresolved() ? 8 : 0);
                var last = s.checks().last();
                int health = s.checks().health() < 0 ? s.config().rise() : s.checks().health();
                b.append(e.getKey()).append(' ').append(pool.name()).append(' ').append(srvId++).append(' ')
                        .append(s.name()).append(' ').append(a == null ? "-" : a.getAddress().getHostAddress())
                        .append(' ').append(op).append(' ').append(admin).append(' ').append(s.weight()).append(' ')
                        .append(s.config().weight()).append(' ').append(s.checks().secondsSinceLastChange()).append(' ')
                        .append(checkStatusCode(last.status())).append(' ').append(last.status() == null ? 0
                                : s.status() == Server.Status.UP ? 3 : 1).append(' ').append(health).append(' ')
                        .append(s.config().check() ? 6 : 0).append(' ').append(s.config().agent() != null ? 6 : 0)
                        .append(" 0 0 ").append(fqdn(s)).append(' ').append(s.config().port()).append(" - 0 ")
                        .append(s.config().checkPort()).append(' ').append(s.config().checkAddress() == null ? "-"
                                : s.config().checkAddress()).append(' ').append(s.config().agent() == null
                                || s.config().agent().address() == null ? "-" : s.config().agent().address())
                        .append(' ').append(s.config().agent() == null ? 0 : s.config().agent().port()).append('\n');
            }
        }
        return b.toString();
    }

    /** Backends by their HAProxy id as `show stat` numbers proxies. */
    private Map<String, BackendPool> proxyIds() {
        Map<String, BackendPool> out = new java.util.LinkedHashMap<>();
        for (ShowStat.Proxy p : new ShowStat(router, StatColumns.HAPROXY_2_6).proxies()) {
            if (p.backend() != null) {
                out.put(Integer.toString(p.iid()), p.backend());
            }
        }
        return out;
    }

    private static String fqdn(Server s) {
        String host = s.config().host();
        boolean literal = io.netty.util.NetUtil.createByteArrayFromIpAddressString(host) != null;
        return literal ? "-" : host;
    }

    /** HAProxy's numeric check statuses (HCHK_STATUS_*), as `show servers state` writes them. */
    private static int checkStatusCode(String status) {
        if (status == null) {
            return 1; // INI
        }
        return switch (status) {
            case "SOCKERR" -> 5;
            case "L4OK" -> 6;
            case "L4TOUT" -> 7;
            case "L4CON" -> 8;
            case "L6OK" -> 9;
            case "L6TOUT" -> 10;
            case "L6RSP" -> 11;
            case "L7TOUT" -> 12;
            case "L7RSP" -> 13;
            case "L7OK" -> 15;
            case "L7OKC" -> 16;
            case "L7STS" -> 17;
            default -> 0;
        };
    }

    /**
     * `show table`: each table's summary line, as HAProxy writes it; `show table NAME`: the
     * summary, then one line per entry (`0xID: key=K use=N exp=MS` and its data).
     */
    private String showTable(String name) {
        StringBuilder b = new StringBuilder();
        for (StickTable t : router.stickTables().all()) {
            if (name != null && !name.equals(t.name())) {
                continue;
            }
            var entries = t.entries();
            b.append("# table: ").append(t.name()).append(", type: ")
                    .append(t.config().type() == StickTableConfig.KeyType.IPV4 ? "ip" : "ipv6").append(", size:")
                    .append(t.config().size()).append(", used:").append(entries.size()).append('\n');
            if (name == null) {
                continue;
            }
            BackendPool pool = router.pools().get(t.name());
            for (StickTable.EntryView e : entries) {
                b.append(String.format("0x%012x", e.id() & 0xffffffffL)).append(": key=")
                        .append(e.key()).append(" use=").append(e.use()).append(" exp=").append(e.expMillis());
                if (e.server() != null) {
                    int id = serverId(pool, e.server());
                    if (id > 0) {
                        b.append(" server_id=").append(id);
                    }
                }
                e.data().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
                if (e.server() != null) {
                    b.append(" server_key=").append(e.server());
                }
                b.append('\n');
            }
            return b.toString();
        }
        return name == null ? b.toString() : "No such table\n";
    }

    private static int serverId(BackendPool pool, String server) {
        Server s = pool == null ? null : pool.byName(server);
        return s == null ? 0 : pool.servers().indexOf(s) + 1;
    }

    /** `show sess`: one line per open session, with HAProxy's first fields. */
    private String showSess() {
        StringBuilder b = new StringBuilder();
        for (Session s : router.liveSessions()) {
            InetSocketAddress c = s.client();
            b.append("0x").append(Long.toHexString(s.id())).append(": proto=")
                    .append(c != null && c.getAddress() instanceof java.net.Inet6Address ? "tcpv6" : "tcpv4")
                    .append(" src=").append(Session.address(c)).append(" fe=").append(s.frontend())
                    .append(" be=").append(s.backend() == null ? "<NONE>" : s.backend())
                    .append(" srv=").append(s.server() == null ? "<none>" : s.server())
                    .append(" age=").append(s.ageMillis() / 1000).append('s')
                    .append(" proto7=").append(s.proto()).append(" role=").append(s.role() == null ? "-" : s.role())
                    .append(" app=").append(s.app() == null ? "-" : Session.cut(s.app()))
                    .append(" bytes_in=").append(s.bytesIn()).append(" bytes_out=").append(s.bytesOut()).append('\n');
        }
        return b.toString();
    }

    List<FrontendStats> frontends() {
        return router.frontends();
    }
}
