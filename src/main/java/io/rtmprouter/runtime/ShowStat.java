package io.rtmprouter.runtime;

import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.BackendConfig;
import io.rtmprouter.config.SourceLocation;
import io.rtmprouter.proxy.FrontendStats;
import io.rtmprouter.proxy.Router;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.stats.CheckCounters;
import io.rtmprouter.stats.TrafficCounters;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * `show stat`: HAProxy 2.6's CSV, a FRONTEND row, the server rows and a BACKEND row per proxy, in
 * the order of the configuration. The columns a row fills are HAProxy's (see {@link StatColumns});
 * those that count what rtmp-router does not do (HTTP, compression, SSL to servers, H2) read 0.
 * Bytes are those of the ended sessions plus what the open ones moved so far.
 */
final class ShowStat {
    private final Router router;
    private final StatColumns columns;

    ShowStat(Router router, StatColumns columns) {
        this.router = router;
        this.columns = columns;
    }

    /** A proxy (frontend, backend, or both for a listen) and its id: HAProxy's own CLI proxy is 1, so ids start at 2. */
    record Proxy(String name, SourceLocation where, FrontendStats frontend, BackendPool backend, int order, int iid) {
    }

    String render() {
        StringBuilder out = new StringBuilder(columns.header()).append('\n');
        Map<String, long[]> live = liveBytes();
        for (Proxy p : proxies()) {
            int iid = p.iid();
            if (p.frontend() != null) {
                out.append(line(frontendRow(p.frontend(), iid, live), StatColumns.Row.FRONTEND));
            }
            if (p.backend() != null) {
                BackendPool pool = p.backend();
                int sid = 1;
                for (Server s : pool.servers()) {
                    StatColumns.Row kind = s.config().check() ? StatColumns.Row.CHECKED_SERVER : StatColumns.Row.SERVER;
                    out.append(line(serverRow(pool, s, iid, sid++, live), kind));
                }
                out.append(line(backendRow(pool, iid, live), StatColumns.Row.BACKEND));
            }
        }
        return out.toString();
    }

    /** Frontends and backends merged by where they were declared; a listen is one proxy. */
    List<Proxy> proxies() {
        Map<String, Proxy> byName = new HashMap<>();
        List<String> files = new ArrayList<>();
        int order = 0;
        for (FrontendStats f : router.frontends()) {
            byName.put(f.name(), new Proxy(f.name(), f.config().where(), f, null, order++, 0));
        }
        for (BackendPool pool : router.pools().values()) {
            BackendConfig b = pool.config();
            Proxy fe = byName.get(b.name());
            byName.put(b.name(), fe != null && fe.where().equals(b.where())
                    ? new Proxy(b.name(), b.where(), fe.frontend(), pool, fe.order(), 0)
                    : new Proxy(b.name(), b.where(), null, pool, order++, 0));
        }
        for (Proxy p : byName.values()) {
            if (!files.contains(p.where().file())) {
                files.add(p.where().file());
            }
        }
        List<Proxy> all = new ArrayList<>(byName.values());
        all.sort(Comparator.<Proxy>comparingInt(p -> files.indexOf(p.where().file()))
                .thenComparingInt(p -> p.where().line()).thenComparingInt(Proxy::order));
        List<Proxy> numbered = new ArrayList<>();
        for (Proxy p : all) {
            numbered.add(new Proxy(p.name(), p.where(), p.frontend(), p.backend(), p.order(), numbered.size() + 2));
        }
        return numbered;
    }

    /** What the open sessions moved so far, by "F:frontend", "B:backend" and "S:backend/server". */
    private Map<String, long[]> liveBytes() {
        Map<String, long[]> m = new HashMap<>();
        for (Session s : router.liveSessions()) {
            long in = s.bytesIn();
            long out = s.bytesOut();
            add(m, "F:" + s.frontend(), in, out);
            if (s.backend() != null) {
                add(m, "B:" + s.backend(), in, out);
                if (s.server() != null) {
                    add(m, "S:" + s.backend() + "/" + s.server(), in, out);
                }
            }
        }
        return m;
    }

    private static void add(Map<String, long[]> m, String key, long in, long out) {
        long[] v = m.computeIfAbsent(key, k -> new long[2]);
        v[0] += in;
        v[1] += out;
    }

    private Map<String, String> frontendRow(FrontendStats f, int iid, Map<String, long[]> live) {
        TrafficCounters t = f.traffic();
        Map<String, String> r = common(f.name(), "FRONTEND", t, live.get("F:" + f.name()));
        r.put("slim", Integer.toString(f.maxconn()));
        r.put("dreq", Long.toString(t.deniedRequests()));
        r.put("ereq", Long.toString(t.requestErrors()));
        r.put("status", "OPEN");
        ids(r, iid, 0, 0);
        r.put("rate_lim", "0");
        r.put("mode", f.config().mode().name().toLowerCase(Locale.ROOT));
        r.put("conn_rate", Long.toString(t.rate()));
        r.put("conn_rate_max", Long.toString(t.rateMax()));
        r.put("conn_tot", Long.toString(t.total()));
        r.put("dcon", Long.toString(t.deniedConnections()));
        r.put("dses", Long.toString(t.deniedSessions()));
        return r;
    }

    private Map<String, String> serverRow(BackendPool pool, Server s, int iid, int sid, Map<String, long[]> live) {
        TrafficCounters t = s.traffic();
        CheckCounters c = s.checks();
        Map<String, String> r = common(pool.name(), s.name(), t, live.get("S:" + pool.name() + "/" + s.name()));
        r.put("qcur", Integer.toString(s.queued()));
        r.put("qmax", Integer.toString(t.queueMax()));
        r.put("scur", Integer.toString(s.currentConnections()));
        r.put("stot", Long.toString(s.totalSessions()));
        if (s.config().maxconn() > 0) {
            r.put("slim", Integer.toString(s.config().maxconn()));
        }
        if (s.config().maxqueue() > 0) {
            r.put("qlimit", Integer.toString(s.config().maxqueue()));
        }
        backendSide(r, t);
        r.put("status", status(s));
        r.put("weight", Integer.toString(s.weight()));
        r.put("uweight", Integer.toString(s.weight()));
        r.put("act", s.isBackup() ? "0" : "1");
        r.put("bck", s.isBackup() ? "1" : "0");
        r.put("lastchg", Long.toString(c.secondsSinceLastChange()));
        ids(r, iid, sid, 2);
        if (s.warming()) {
            r.put("throttle", Integer.toString(throttle(s)));
        }
        InetSocketAddress a = s.address();
        if (a != null) {
            r.put("addr", Session.address(a));
        }
        r.put("mode", pool.config().mode().name().toLowerCase(Locale.ROOT));
        // HAProxy's connect (attempts) and need_conn_est (sessions that need a connection now).
        r.put("connect", Long.toString(s.totalSessions() + t.retries()));
        r.put("need_conn_est", Integer.toString(s.currentConnections()));
        if (s.config().check()) {
            CheckCounters.LastCheck last = c.last();
            r.put("chkfail", Long.toString(c.failedChecks()));
            r.put("chkdown", Long.toString(c.downTransitions()));
            r.put("downtime", Long.toString(c.downtimeSeconds()));
            r.put("check_rise", Integer.toString(s.config().rise()));
            r.put("check_fall", Integer.toString(s.config().fall()));
            r.put("check_health", Integer.toString(Math.max(0, c.health() < 0 ? s.config().rise() : c.health())));
            if (last.status() != null) {
                r.put("check_status", last.status());
                if (last.hasCode()) {
                    r.put("check_code", Integer.toString(last.code()));
                }
                if (last.durationMs() >= 0) {
                    r.put("check_duration", Long.toString(last.durationMs()));
                }
                r.put("check_desc", last.description());
                if (last.info() != null) {
                    r.put("last_chk", last.info());
                }
            }
        }
        return r;
    }

    private Map<String, String> backendRow(BackendPool pool, int iid, Map<String, long[]> live) {
        TrafficCounters t = pool.traffic();
        Map<String, String> r = common(pool.name(), "BACKEND", t, live.get("B:" + pool.name()));
        r.put("qcur", Integer.toString(pool.queuedInBackend()));
        r.put("qmax", Integer.toString(t.queueMax()));
        r.put("slim", Integer.toString(fullconn(pool)));
        r.put("dreq", Long.toString(t.deniedRequests()));
        backendSide(r, t);
        int[] up = pool.upCounts();
        r.put("status", up[0] + up[1] > 0 ? "UP" : "DOWN");
        int weight = 0;
        for (Server s : pool.servers()) {
            // HAProxy: the weight of the active servers that are up, or of the backups when none is.
            if (s.isUp() && !s.draining() && s.isBackup() == (up[0] == 0)) {
                weight += s.weight();
            }
        }
        r.put("weight", Integer.toString(weight));
        r.put("uweight", Integer.toString(weight));
        r.put("act", Integer.toString(up[0]));
        r.put("bck", Integer.toString(up[1]));
        CheckCounters c = pool.checks();
        r.put("chkdown", Long.toString(c.downTransitions()));
        r.put("lastchg", Long.toString(c.secondsSinceLastChange()));
        r.put("downtime", Long.toString(c.downtimeSeconds()));
        ids(r, iid, 0, 1);
        r.put("connect", Long.toString(t.total() + t.retries()));
        r.put("mode", pool.config().mode().name().toLowerCase(Locale.ROOT));
        r.put("algo", pool.config().balance().name().toLowerCase(Locale.ROOT));
        return r;
    }

    /** HAProxy's default fullconn: a tenth of the maxconn of the frontends that can reach the backend. */
    private int fullconn(BackendPool pool) {
        long sum = 0;
        for (FrontendStats f : router.frontends()) {
            if (f.config().routing().reachableBackends().contains(pool.name())) {
                sum += f.maxconn();
            }
        }
        return (int) Math.max(1, sum / 10);
    }

    private static Map<String, String> common(String proxy, String name, TrafficCounters t, long[] live) {
        Map<String, String> r = new HashMap<>();
        r.put("pxname", proxy);
        r.put("svname", name);
        r.put("scur", Integer.toString(t.current()));
        r.put("smax", Integer.toString(t.max()));
        r.put("stot", Long.toString(t.total()));
        r.put("bin", Long.toString(t.endedBytesIn() + (live == null ? 0 : live[0])));
        r.put("bout", Long.toString(t.endedBytesOut() + (live == null ? 0 : live[1])));
        r.put("rate", Long.toString(t.rate()));
        r.put("rate_max", Long.toString(t.rateMax()));
        r.put("-", "-");
        return r;
    }

    /** The columns a backend and its servers share. */
    private static void backendSide(Map<String, String> r, TrafficCounters t) {
        r.put("econ", Long.toString(t.connectionErrors()));
        r.put("eresp", Long.toString(t.responseErrors()));
        r.put("wretr", Long.toString(t.retries()));
        r.put("wredis", Long.toString(t.redispatches()));
        r.put("lbtot", Long.toString(t.balancedPicks()));
        r.put("cli_abrt", Long.toString(t.clientAborts()));
        r.put("srv_abrt", Long.toString(t.serverAborts()));
        r.put("lastsess", Long.toString(t.secondsSinceLastSession()));
        r.put("qtime", Long.toString(t.queueTimeMs()));
        r.put("ctime", Long.toString(t.connectTimeMs()));
        r.put("rtime", "0");
        r.put("ttime", Long.toString(t.totalTimeMs()));
    }

    private static void ids(Map<String, String> r, int iid, int sid, int type) {
        r.put("pid", "1");
        r.put("iid", Integer.toString(iid));
        r.put("sid", Integer.toString(sid));
        r.put("type", Integer.toString(type));
    }

    /** HAProxy's words for a server's state in `show stat`. */
    private static String status(Server s) {
        return switch (s.status()) {
            case MAINT -> s.unresolved() && !s.forcedMaintenance() ? "MAINT (resolution)" : "MAINT";
            case DOWN -> "DOWN";
            case UP -> s.draining() ? "DRAIN" : s.config().check() || s.config().agent() != null ? "UP" : "no check";
        };
    }

    /** A warming server's percentage of its full speed. */
    private static int throttle(Server s) {
        int max = s.config().maxconn();
        return max > 0 ? (int) (100L * s.effectiveMaxconnNow() / max) : 100;
    }

    private String line(Map<String, String> values, StatColumns.Row kind) {
        StringBuilder b = new StringBuilder();
        for (StatColumns.Column c : columns.columns()) {
            String v = values.get(c.name());
            if (v == null && c.filledIn(kind) && !conditional(c.name())) {
                v = "0"; // a count of something rtmp-router never does
            }
            if (v != null) {
                b.append(csv(v));
            }
            b.append(',');
        }
        return b.append('\n').toString();
    }

    /** Columns HAProxy fills only when there is something to show: left empty unless given. */
    private static boolean conditional(String column) {
        return switch (column) {
            case "slim", "qlimit", "throttle", "check_status", "check_code", "check_duration", "check_desc",
                 "last_chk", "addr", "agent_status", "agent_code", "agent_duration", "agent_desc", "last_agt",
                 "cookie", "algo", "mode" -> true;
            default -> false;
        };
    }

    /** HAProxy quotes nothing: a comma in a value would break the line, so it becomes a space. */
    private static String csv(String v) {
        return v.replace(',', ' ').replace('\n', ' ');
    }
}
