package io.rtmprouter.resolve;

import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.DnsResolution;
import io.rtmprouter.config.ResolversConfig;
import io.rtmprouter.log.LogLine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A server following its name (HAProxy's snr_* callbacks): a valid answer gives it an address,
 * moving it when its address left the answers, and brings it out of maintenance; failures kept
 * up for longer than their `hold` take its address away and put it into maintenance. Every change
 * is logged in HAProxy's words. Confined to its section's loop.
 */
final class ResolvedServer {
    private static final Logger LOG = LoggerFactory.getLogger("resolvers");

    private final BackendPool pool;
    private final Server server;
    private final ResolversConfig.Holds hold;
    /** The answer whose address it holds; null when it holds none of the current answers. */
    private Resolution.Answer attached;

    ResolvedServer(BackendPool pool, Server server, ResolversConfig.Holds hold) {
        this.pool = pool;
        this.server = server;
        this.hold = hold;
    }

    DnsResolution options() {
        return server.config().resolution();
    }

    String backend() {
        return pool.name();
    }

    /** Its answer went away (obsolete): the next valid answer picks again. */
    void detached(Resolution.Answer a) {
        if (attached == a) {
            attached = null;
        }
    }

    /** HAProxy's snr_resolution_cb: a valid answer. @param updater who answered, for the log line */
    void answered(Resolution r, String updater, long now) {
        if (attached != null && r.answers.contains(attached)) {
            updateStatus(r, false, now);
            return;
        }
        InetSocketAddress now0 = server.address();
        AddressChoice.Choice c = AddressChoice.choose(r.answers, this, now0 == null ? null : now0.getAddress());
        if (!r.answers.isEmpty()) {
            // HAProxy's internal round robin: the next server starts from the next answer.
            r.answers.add(r.answers.remove(0));
        }
        if (c.chosen() == null) {
            updateStatus(r, true, now);
            return;
        }
        attach(c.chosen());
        if (!c.current()) {
            changeAddress(c.chosen().address, updater);
        }
        updateStatus(r, false, now);
    }

    /** HAProxy's snr_resolution_error_cb: the resolution ended in an error (or timed out). */
    void failed(Resolution r, long now) {
        updateStatus(r, true, now);
    }

    private void attach(Resolution.Answer a) {
        if (attached != null) {
            attached.attached.remove(this);
        }
        attached = a;
        a.attached.add(this);
    }

    /** Logged, and sent to the backend's `log` targets at HAProxy's severity. */
    private void say(String event, int severity, String msg) {
        LogLine line = new LogLine().add("event", event).add("server", server.qualifiedName()).add("msg", msg);
        if (severity <= 1) {
            LOG.error("{}", line);
        } else {
            LOG.warn("{}", line);
        }
        pool.announce(severity, msg);
    }

    private static final int EMERG = 0;
    private static final int ALERT = 1;
    private static final int NOTICE = 5;

    private void changeAddress(InetAddress to, String updater) {
        InetSocketAddress old = server.address();
        say("server_address", NOTICE, server.qualifiedName() + " changed its IP from "
                + (old == null ? "(none)" : old.getAddress().getHostAddress()) + " to " + to.getHostAddress()
                + " by " + updater + ".");
        server.address(new InetSocketAddress(to, server.config().port()));
    }

    /** HAProxy's snr_update_srv_status, then the address cleared when it went into maintenance. */
    private void updateStatus(Resolution r, boolean noAddress, long now) {
        switch (r.status) {
            case NONE -> {
            }
            case VALID -> {
                if (noAddress) {
                    enterMaintenance("No IP for server ");
                } else if (server.unresolved()) {
                    leaveMaintenance();
                }
            }
            case NX -> holdExpired(r, hold.nx(), now, "DNS NX status");
            case TIMEOUT -> holdExpired(r, hold.timeout(), now, "DNS timeout status");
            case REFUSED -> holdExpired(r, hold.refused(), now, "DNS refused status");
            default -> holdExpired(r, hold.other(), now, "unspecified DNS error");
        }
    }

    private void holdExpired(Resolution r, Duration held, long now, String cause) {
        if (r.lastValid != Resolution.NEVER && now - r.lastValid < held.toNanos()) {
            return; // the last valid address is still held
        }
        enterMaintenance(cause);
    }

    private void enterMaintenance(String cause) {
        if (server.unresolved()) {
            return;
        }
        int sessions = server.currentConnections();
        boolean wasDown = server.status() == Server.Status.DOWN;
        int moved = pool.setUnresolved(server, true);
        if (attached != null) {
            attached.attached.remove(this);
            attached = null;
        }
        server.address(null);
        if (moved < 0) {
            return; // already in maintenance for another cause: nothing changes for traffic
        }
        String name = (server.isBackup() ? "Backup " : "") + "Server " + server.qualifiedName();
        if (wasDown) {
            // HAProxy's words for a server its checks had taken out already: no counts, no alert.
            say("server_maint", NOTICE, name + " was DOWN and now enters maintenance (" + cause + ").");
            return;
        }
        int[] up = pool.upCounts();
        say("server_maint", ALERT, name + " is going DOWN for maintenance (" + cause + "). " + up[0] + " active and "
                + up[1] + " backup servers left." + (up[0] == 0 && up[1] > 0 ? " Running on backup." : "") + " "
                + sessions + " sessions active, " + moved + " requeued, " + server.queued() + " remaining in queue.");
        if (up[0] + up[1] == 0) {
            LOG.error("{}", new LogLine().add("event", "backend_down").add("backend", pool.name())
                    .add("msg", "backend " + pool.name() + " has no server available!"));
            pool.announce(EMERG, "backend " + pool.name() + " has no server available!");
        }
    }

    private void leaveMaintenance() {
        int moved = pool.setUnresolved(server, false);
        String name = (server.isBackup() ? "Backup " : "") + "Server " + server.qualifiedName();
        if (moved < 0) {
            say("server_maint", NOTICE, name + " ('" + server.config().host() + "') resolves again but remains in"
                    + " maintenance.");
            return;
        }
        say("server_ready", NOTICE, name + " ('" + server.config().host() + "') is UP/READY (resolves again).");
        say("server_ready", NOTICE, "Server " + server.qualifiedName() + " administratively READY thanks to valid DNS"
                + " answer.");
    }
}
