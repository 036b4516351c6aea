package io.rtmprouter.proxy;

import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.LogTarget;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.stats.TrafficCounters;
import io.rtmprouter.syslog.SyslogSender;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A frontend's session lines to its `log` targets, at level info as HAProxy logs traffic: its
 * `option tcplog` line, or rtmp-router's own line without it; with `option dontlognull`, not for
 * a session whose client sent nothing. Then the line goes on to stdout as before.
 */
final class SessionSyslog implements Consumer<Session> {
    private static final int INFO = 6;
    private final LogTarget.Settings settings;
    private final SyslogSender sender;
    private final TrafficCounters frontend;
    private final Map<String, BackendPool> pools;
    private final LongSupplier processSessions;
    private final Consumer<Session> next;

    SessionSyslog(LogTarget.Settings settings, SyslogSender sender, TrafficCounters frontend,
                  Map<String, BackendPool> pools, LongSupplier processSessions, Consumer<Session> next) {
        this.settings = settings;
        this.sender = sender;
        this.frontend = frontend;
        this.pools = pools;
        this.processSessions = processSessions;
        this.next = next;
    }

    @Override
    public void accept(Session s) {
        if (!(settings.dontLogNull() && s.bytesIn() == 0)) {
            String line = settings.tcplog() ? tcplog(s) : s.logLine();
            for (LogTarget t : settings.targets()) {
                sender.send(t, INFO, settings.tag(), line);
            }
        }
        next.accept(s);
    }

    /** Counted as HAProxy counts them as it logs: the session in its frontend still, gone from its backend and server. */
    private String tcplog(Session s) {
        BackendPool pool = s.backend() == null ? null : pools.get(s.backend());
        long beconn = pool == null ? 0 : pool.traffic().current();
        Server srv = pool == null || s.server() == null ? null : pool.byName(s.server());
        long srvconn = srv == null ? 0 : srv.currentConnections();
        return TcpLogLine.of(s, processSessions.getAsLong() + 1, frontend.current() + 1, beconn, srvconn);
    }
}
