package io.rtmprouter.proxy;

import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import io.rtmprouter.stats.TrafficCounters;

import java.util.Map;
import java.util.function.Consumer;

/**
 * What a session that is over adds to the `show stat` counters of its frontend, its backend and
 * its server, in HAProxy's sense of each column: bytes and times; `tcp-request` rejects at
 * connection, session and content as dcon, dses, dreq; a bad start of session or an inspection
 * that timed out as ereq; failed connection attempts as econ; retries and redispatches as wretr
 * and wredis; a client that reset, timed out or erred once connected as cli_abrt, a server that
 * did as srv_abrt (a reset or error also as eresp). Runs once per session, where its line is logged.
 */
final class SessionCounting implements Consumer<Session> {
    private final TrafficCounters frontend;
    private final Map<String, BackendPool> pools;
    private final Consumer<Session> log;

    SessionCounting(TrafficCounters frontend, Map<String, BackendPool> pools, Consumer<Session> log) {
        this.frontend = frontend;
        this.pools = pools;
        this.log = log;
    }

    @Override
    public void accept(Session s) {
        count(s);
        log.accept(s);
    }

    private void count(Session s) {
        long in = s.bytesIn();
        long out = s.bytesOut();
        long queue = s.queueMillis();
        long connect = s.connectMillis();
        long total = s.ageMillis();
        frontend.sessionLeft();
        frontend.sessionEnded(in, out, queue, connect, total);
        Termination t = s.termination();
        if (t == Termination.REJECTED && s.detail() != null) {
            if (s.detail().startsWith("tcp-request connection")) {
                frontend.deniedConnection();
            } else if (s.detail().startsWith("tcp-request session")) {
                frontend.deniedSession();
            } else {
                frontend.deniedRequest();
            }
        } else if (t == Termination.BAD_REQUEST || t == Termination.INSPECT_TIMEOUT) {
            frontend.requestError();
        }
        BackendPool pool = s.backend() == null ? null : pools.get(s.backend());
        if (pool == null) {
            return;
        }
        TrafficCounters backend = pool.traffic();
        backend.sessionLeft();
        backend.sessionEnded(in, out, queue, connect, total);
        Server server = s.server() == null ? null : pool.byName(s.server());
        TrafficCounters srv = server == null ? null : server.traffic();
        if (srv != null) {
            // Its place (scur) is given back with its slot; here what it moved and took.
            srv.sessionEnded(in, out, queue, connect, total);
        }
        int redispatches = s.redispatched() ? 1 : 0;
        for (TrafficCounters c : srv == null ? new TrafficCounters[] {backend} : new TrafficCounters[] {backend, srv}) {
            for (int i = 0; i < s.failedAttempts(); i++) {
                c.connectionError();
            }
            for (int i = 0; i < s.retries() - redispatches; i++) {
                c.retried();
            }
            if (redispatches > 0) {
                c.redispatched();
            }
            if (t == null) {
                continue;
            }
            switch (t) {
                case CLIENT_RESET, CLIENT_TIMEOUT, CLIENT_ERROR -> c.clientAborted();
                case SERVER_RESET, SERVER_ERROR -> {
                    c.serverAborted();
                    c.responseError();
                }
                case SERVER_TIMEOUT -> c.serverAborted();
                default -> {
                }
            }
        }
    }
}
