package io.rtmprouter.stick;

import io.rtmprouter.config.CounterFetch;
import io.rtmprouter.config.StickData;

import java.net.InetAddress;
import java.util.OptionalLong;

/**
 * A session's stick counters sc0 to sc2: which entry of which table each one tracks, from the
 * `track-scN` rule that set it until the session is over. Confined to the session's event loop;
 * the entries themselves are guarded by their tables.
 */
public final class TrackedCounters {
    private final StickTables tables;
    private InetAddress client;
    private final StickTable[] table = new StickTable[CounterFetch.COUNTERS];
    private final StickEntry[] entry = new StickEntry[CounterFetch.COUNTERS];
    /** Bytes each direction had moved when the tracked tables were last told. */
    private long reportedIn;
    private long reportedOut;
    private boolean released;

    public TrackedCounters(StickTables tables, InetAddress client) {
        this.tables = tables;
        this.client = client;
    }

    /** A PROXY header named the real client: later tracks and `src_*` fetches look it up. */
    public void clientIs(InetAddress realClient) {
        client = realClient;
    }

    /** `track-scN src table T`: a counter that already tracks something keeps it. */
    public void track(int counter, String tableName) {
        if (released || entry[counter] != null) {
            return;
        }
        StickTable t = tables.get(tableName);
        byte[] key = StickKeys.of(client, t.config().type());
        if (key == null) {
            return; // an IPv6 client in an ipv4 table: HAProxy tracks nothing either
        }
        StickEntry e = t.track(key);
        if (e != null) {
            table[counter] = t;
            entry[counter] = e;
        }
    }

    /** The connection rules let the session in: its connection-level counters count a session. */
    public void sessionAccepted() {
        for (int i = 0; i < entry.length; i++) {
            if (entry[i] != null) {
                table[i].countSession(entry[i]);
            }
        }
    }

    public void incrementGpc(int counter, int which) {
        if (entry[counter] != null) {
            table[counter].incrementGpc(entry[counter], which);
        }
    }

    public void setGpt0(int counter, long value) {
        if (entry[counter] != null) {
            table[counter].setGpt0(entry[counter], value);
        }
    }

    /** A counter fetch's value; empty when it fails, as HAProxy's does. */
    public OptionalLong read(CounterFetch f) {
        if (f.bySource()) {
            return readKey(tables.get(f.table()), f.what());
        }
        if (f.counter() >= entry.length || entry[f.counter()] == null) {
            return OptionalLong.empty();
        }
        if (f.table() != null) {
            return readKey(tables.get(f.table()), f.what()); // the same key, looked up in that table
        }
        return table[f.counter()].read(entry[f.counter()], f.what());
    }

    private OptionalLong readKey(StickTable t, CounterFetch.Counter what) {
        byte[] key = StickKeys.of(client, t.config().type());
        return key == null ? OptionalLong.empty() : t.readKey(key, what);
    }

    /** Whether a tracked table counts bytes, so the session must report what it moves. */
    public boolean countsBytes() {
        for (StickTable t : table) {
            if (t != null && (t.config().stores(StickData.BYTES_IN_CNT) || t.config().stores(StickData.BYTES_IN_RATE)
                    || t.config().stores(StickData.BYTES_OUT_CNT) || t.config().stores(StickData.BYTES_OUT_RATE))) {
                return true;
            }
        }
        return false;
    }

    /** The session has moved this many bytes in total so far: the tables count what is new. */
    public void moved(long in, long out) {
        long newIn = in - reportedIn;
        long newOut = out - reportedOut;
        reportedIn = in;
        reportedOut = out;
        for (int i = 0; i < entry.length; i++) {
            if (entry[i] != null) {
                table[i].addBytes(entry[i], newIn, newOut);
            }
        }
    }

    /** The session is over: the last bytes are counted and every entry is let go. */
    public void release(long in, long out) {
        if (released) {
            return;
        }
        moved(in, out);
        released = true;
        for (int i = 0; i < entry.length; i++) {
            if (entry[i] != null) {
                table[i].release(entry[i]);
                entry[i] = null;
                table[i] = null;
            }
        }
    }
}
