package io.rtmprouter.proxy;

import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * HAProxy's `option tcplog` line for a session that is over, field by field as 2.6 writes it:
 * `%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq`, e.g.
 * `127.0.0.1:42846 [02/Dec/2026:00:25:52.042] f b/s1 0/0/500 6 -- 1/1/0/0/0 0/0`.
 */
final class TcpLogLine {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ENGLISH)
            .withZone(ZoneId.systemDefault());

    private TcpLogLine() {
    }

    /**
     * @param actconn  the process's connections as it is logged (this one included)
     * @param feconn   its frontend's (this one included)
     * @param beconn   its backend's (this one gone already)
     * @param srvconn  its server's (this one gone already)
     */
    static String of(Session s, long actconn, long feconn, long beconn, long srvconn) {
        InetSocketAddress c = s.client();
        String client = c == null ? "-:-" : (c.getAddress() == null ? c.getHostString()
                : c.getAddress().getHostAddress()) + ":" + c.getPort();
        boolean tls = s.proto().equals("rtmps") || s.proto().equals("rtmpts") || s.proto().equals("tls");
        String backend = s.backend() == null ? s.frontend() : s.backend();
        String server = s.server() == null ? "<NOSRV>" : s.server();
        long tw = s.queueMillis() >= 0 ? s.queueMillis() : s.connecting() ? 0 : -1;
        long tc = s.connectMillis();
        return client + " [" + DATE.format(Instant.ofEpochMilli(s.acceptedAtMillis())) + "] " + s.frontend()
                + (tls ? "~" : "") + " " + backend + "/" + server + " " + tw + "/" + tc + "/" + s.ageMillis() + " "
                + s.bytesOut() + " " + state(s) + " " + actconn + "/" + feconn + "/" + beconn + "/" + srvconn + "/"
                + (s.redispatched() ? "+" : "") + s.retries() + " 0/0";
    }

    /**
     * HAProxy's termination state: who ended it (C client, S server, P proxy, s/c a timeout, K
     * killed, D server down, U up, I internal; - normal), then where it was (R request, Q queue,
     * C connect, D data; - normal).
     */
    static String state(Session s) {
        Termination t = s.termination();
        if (t == null || t == Termination.CLIENT_CLOSE || t == Termination.SERVER_CLOSE) {
            return "--";
        }
        char who = switch (t) {
            case CLIENT_TIMEOUT, INSPECT_TIMEOUT -> 'c';
            case SERVER_TIMEOUT, CONNECT_TIMEOUT, QUEUE_TIMEOUT -> 's';
            case CLIENT_RESET, CLIENT_ERROR, CLIENT_ABORT, BAD_REQUEST -> 'C';
            case SERVER_RESET, SERVER_ERROR, CONNECT_ERROR, NO_SERVER -> 'S';
            case REJECTED, NO_BACKEND -> 'P';
            case SHUTDOWN -> 'K';
            case SERVER_DOWN -> 'D';
            case SERVER_UP -> 'U';
            default -> 'I';
        };
        char where = s.connectedToServer() ? 'D' : s.connecting() ? 'C' : s.queueMillis() >= 0 ? 'Q' : 'R';
        if (t == Termination.QUEUE_TIMEOUT) {
            where = 'Q';
        } else if (t == Termination.CONNECT_TIMEOUT || t == Termination.CONNECT_ERROR || t == Termination.NO_SERVER) {
            where = 'C';
        }
        return "" + who + where;
    }
}
