package io.rtmprouter.resolve;

import io.netty.handler.codec.dns.DnsRecordType;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One name's resolution in one `resolvers` section, shared by every server asking for that name
 * with the same preferred family (HAProxy's resolv_resolution). Confined to its section's loop.
 */
final class Resolution {
    /** HAProxy's resolution statuses: the last answer's verdict. */
    enum Status { NONE, VALID, NX, REFUSED, TIMEOUT, OTHER, INVALID }

    /** An address of the answers, with the servers of any backend that took it. */
    static final class Answer {
        final InetAddress address;
        long lastSeen;
        final Set<ResolvedServer> attached = new LinkedHashSet<>();

        Answer(InetAddress address, long lastSeen) {
            this.address = address;
            this.lastSeen = lastSeen;
        }
    }

    final String hostname;
    final DnsRecordType preferred;
    final List<ResolvedServer> requesters = new ArrayList<>();
    /** In the order they came; the first is moved to the end each time a server picks, HAProxy's round robin. */
    final List<Answer> answers = new ArrayList<>();

    Status status = Status.NONE;
    boolean running;
    DnsRecordType queryType;
    int queryId = -1;
    /** Queries left before a resolution without an answer is a timeout. */
    int tries;
    int queries;
    int responses;
    /** Nanosecond times; NEVER until they happen. */
    long lastQuery = NEVER;
    long lastResolution = NEVER;
    long lastValid = NEVER;

    static final long NEVER = Long.MIN_VALUE;

    Resolution(String hostname, boolean preferIpv6) {
        this.hostname = hostname;
        this.preferred = preferIpv6 ? DnsRecordType.AAAA : DnsRecordType.A;
        this.queryType = preferred;
    }

    /** The family HAProxy falls back to when the preferred one has no answer. */
    DnsRecordType otherType() {
        return preferred == DnsRecordType.A ? DnsRecordType.AAAA : DnsRecordType.A;
    }

    /** The answers of a valid response: new ones added, old ones seen again, those gone for longer than obsolete dropped. */
    void merge(List<InetAddress> fresh, long now, long obsoleteNanos) {
        for (InetAddress a : fresh) {
            Answer known = find(a);
            if (known != null) {
                known.lastSeen = now;
            } else {
                answers.add(new Answer(a, now));
            }
        }
        answers.removeIf(a -> {
            if (a.lastSeen + obsoleteNanos < now) {
                a.attached.forEach(s -> s.detached(a));
                return true;
            }
            return false;
        });
    }

    Answer find(InetAddress a) {
        for (Answer x : answers) {
            if (x.address.equals(a)) {
                return x;
            }
        }
        return null;
    }

    /** Back to waiting, as HAProxy's resolv_reset_resolution. */
    void reset(long now) {
        running = false;
        tries = 0;
        lastResolution = now;
        queries = 0;
        responses = 0;
        queryType = preferred;
        queryId = -1;
    }
}
