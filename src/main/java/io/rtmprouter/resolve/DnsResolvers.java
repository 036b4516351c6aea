package io.rtmprouter.resolve;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.AbstractDnsOptPseudoRrRecord;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.ResolversConfig;
import io.rtmprouter.log.LogLine;
import io.rtmprouter.stick.MonotonicClock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One `resolvers` section at run time, HAProxy's resolvers task: every `timeout resolve` each
 * name is asked of all the name servers at once over UDP; the first valid answer is taken, and
 * an error only once every name server has answered. An answer without the preferred family is
 * asked again for the other at once; no answer within `timeout retry` is asked again, up to
 * `resolve_retries` queries, and then is a timeout. All of its state lives on one event loop.
 */
public final class DnsResolvers {
    private static final Logger LOG = LoggerFactory.getLogger("resolvers");

    private final ResolversConfig config;
    private final EventLoop loop;
    private final Class<? extends DatagramChannel> channelClass;
    private final MonotonicClock clock;
    /** By name and preferred family: servers asking the same share one resolution, as in HAProxy. */
    private final Map<String, Resolution> resolutions = new LinkedHashMap<>();
    private final Map<Integer, Resolution> byQueryId = new HashMap<>();
    private Channel channel;
    private ScheduledFuture<?> wake;
    private volatile boolean stopped;

    public DnsResolvers(ResolversConfig config, EventLoop loop, Class<? extends DatagramChannel> channelClass,
                        MonotonicClock clock) {
        this.config = config;
        this.loop = loop;
        this.channelClass = channelClass;
        this.clock = clock;
    }

    public String name() {
        return config.name();
    }

    /** A server of `pool` that follows its name through this section; before {@link #start()}. */
    public void follow(BackendPool pool, Server server) {
        boolean v6 = server.config().resolution().preferIpv6();
        String host = server.config().host().toLowerCase(Locale.ROOT);
        Resolution r = resolutions.computeIfAbsent(host + (v6 ? "/6" : "/4"), k -> new Resolution(host, v6));
        r.requesters.add(new ResolvedServer(pool, server, config.hold()));
    }

    public boolean isEmpty() {
        return resolutions.isEmpty();
    }

    /** Opens the section's UDP socket and runs its first resolutions at once. */
    public void start() throws InterruptedException {
        Channel ch = new Bootstrap().group(loop).channel(channelClass)
                // Read a whole datagram, so that one larger than accepted_payload_size is seen as such.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65536))
                .handler(new ChannelInboundHandlerAdapter())
                .bind(wildcard()).sync().channel();
        loop.execute(() -> attach(ch));
    }

    /** IPv4's wildcard when every name server is IPv4; IPv6's (dual-stack) otherwise. */
    private InetSocketAddress wildcard() {
        boolean v6 = config.nameservers().stream().anyMatch(n -> n.address().getAddress() instanceof java.net.Inet6Address);
        return v6 ? new InetSocketAddress("::", 0) : new InetSocketAddress("0.0.0.0", 0);
    }

    /** The section's socket: queries go out of it, answers come in; the first resolutions start. */
    void attach(Channel ch) {
        channel = ch;
        ch.pipeline().addLast(new DatagramDnsQueryEncoder(), new OversizedAnswerFilter(),
                new DatagramDnsResponseDecoder(), new Answers());
        process();
    }

    public void stop() {
        stopped = true;
        loop.execute(() -> {
            if (wake != null) {
                wake.cancel(false);
            }
        });
        if (channel != null) {
            channel.close();
        }
    }

    // ---- HAProxy's process_resolvers --------------------------------------------------------

    void process() {
        if (stopped) {
            return;
        }
        long now = clock.nanoTime();
        long retry = config.timeoutRetry().toNanos();
        for (Resolution r : resolutions.values()) {
            if (!r.running || now - r.lastQuery < retry) {
                continue;
            }
            if (r.tries == 0) {
                if (r.responses == 0) {
                    r.status = Resolution.Status.TIMEOUT;
                }
                finish(r, false, now, null);
            } else {
                if (r.responses == 0 || r.queryType != r.preferred) {
                    // No answer at all, or the other family was asked already: one try fewer.
                    r.queryType = r.preferred;
                    r.tries--;
                } else {
                    r.queryType = r.otherType();
                }
                send(r, now);
            }
        }
        long resolve = config.timeoutResolve().toNanos();
        for (Resolution r : resolutions.values()) {
            if (!r.running && (r.lastResolution == Resolution.NEVER || now - r.lastResolution >= resolve)) {
                run(r, now);
            }
        }
        scheduleWake(now);
    }

    private void scheduleWake(long now) {
        long next = now + config.timeoutResolve().toNanos();
        for (Resolution r : resolutions.values()) {
            long due = r.running ? r.lastQuery + config.timeoutRetry().toNanos()
                    : r.lastResolution + config.timeoutResolve().toNanos();
            next = Math.min(next, due);
        }
        if (wake != null) {
            wake.cancel(false);
        }
        wake = loop.schedule(this::process, Math.max(0, next - now), TimeUnit.NANOSECONDS);
    }

    private void run(Resolution r, long now) {
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, 65536);
        } while (byQueryId.containsKey(id));
        r.queryId = id;
        byQueryId.put(id, r);
        r.running = true;
        r.queryType = r.preferred;
        r.tries = config.resolveRetries() - 1;
        send(r, now);
    }

    /** The query, to every name server; HAProxy always announces its payload size with EDNS0. */
    private void send(Resolution r, long now) {
        r.queries = 0;
        r.responses = 0;
        r.lastQuery = now;
        for (ResolversConfig.Nameserver ns : config.nameservers()) {
            DatagramDnsQuery q = new DatagramDnsQuery(null, ns.address(), r.queryId);
            q.setRecursionDesired(true);
            q.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(r.hostname, r.queryType));
            q.addRecord(DnsSection.ADDITIONAL, new AbstractDnsOptPseudoRrRecord(config.acceptedPayloadSize(), 0, 0) {
            });
            channel.writeAndFlush(q).addListener(f -> {
                if (!f.isSuccess()) {
                    LOG.debug("{}", new LogLine().add("event", "dns_send_error").add("resolvers", config.name())
                            .add("nameserver", ns.name()).add("error", f.cause().toString()));
                }
            });
            r.queries++;
        }
    }

    /** HAProxy's resolv_process_responses, for one response. */
    private void answered(DatagramDnsResponse response) {
        String by = nameserverOf((InetSocketAddress) response.sender());
        Resolution r = byQueryId.get(response.id());
        if (by == null || r == null || !r.running || !asked(response, r)) {
            // From no name server of ours (HAProxy's sockets are connected to theirs), late, or
            // for a query we no longer wait for.
            return;
        }
        long now = clock.nanoTime();
        r.responses++;
        List<InetAddress> addresses = new ArrayList<>();
        Resolution.Status verdict = verdict(response, r, addresses);
        if (verdict != Resolution.Status.VALID) {
            r.status = verdict;
            if (r.responses < r.queries) {
                return; // every name server has its say before an error counts
            }
            if (r.queryType != r.preferred) {
                if (r.tries == 0) {
                    finish(r, false, now, null);
                }
                // else the next try is sent at `timeout retry`
            } else {
                r.queryType = r.otherType();
                send(r, now);
            }
            return;
        }
        r.status = Resolution.Status.VALID;
        r.lastValid = now;
        r.merge(addresses, now, config.hold().obsolete().toNanos());
        finish(r, true, now, by);
    }

    /** "resolvers/nameserver", as HAProxy names who answered; null for an address that is none of ours. */
    private String nameserverOf(InetSocketAddress sender) {
        for (ResolversConfig.Nameserver ns : config.nameservers()) {
            if (ns.address().equals(sender)) {
                return config.name() + "/" + ns.name();
            }
        }
        return null;
    }

    /** The requesters are told, then the resolution waits for its next turn. */
    private void finish(Resolution r, boolean valid, long now, String updater) {
        String by = updater;
        for (ResolvedServer s : r.requesters) {
            if (valid) {
                s.answered(r, by, now);
                by = "DNS cache"; // as HAProxy: only the first server hears it from the name server
            } else {
                s.failed(r, now);
            }
        }
        byQueryId.remove(r.queryId);
        r.reset(now);
        scheduleWake(now);
    }

    private static boolean asked(DatagramDnsResponse response, Resolution r) {
        if (response.count(DnsSection.QUESTION) != 1) {
            return false;
        }
        DnsRecord q = response.recordAt(DnsSection.QUESTION);
        return q.type().equals(r.queryType) && strip(q.name()).equalsIgnoreCase(r.hostname);
    }

    /** HAProxy's resolv_validate_dns_response, reduced to the verdict and the addresses it takes. */
    private static Resolution.Status verdict(DatagramDnsResponse response, Resolution r, List<InetAddress> out) {
        if (response.isTruncated()) {
            return Resolution.Status.OTHER;
        }
        DnsResponseCode code = response.code();
        if (code.equals(DnsResponseCode.NXDOMAIN)) {
            return Resolution.Status.NX;
        }
        if (code.equals(DnsResponseCode.REFUSED)) {
            return Resolution.Status.REFUSED;
        }
        if (!code.equals(DnsResponseCode.NOERROR)) {
            return Resolution.Status.OTHER;
        }
        int count = response.count(DnsSection.ANSWER);
        if (count == 0) {
            return Resolution.Status.OTHER;
        }
        // The name, then any name a CNAME of the answer leads to.
        Set<String> names = new HashSet<>();
        names.add(r.hostname.toLowerCase(Locale.ROOT));
        for (int i = 0; i < count; i++) {
            DnsRecord rec = response.recordAt(DnsSection.ANSWER, i);
            if (rec.type().equals(DnsRecordType.CNAME) && rec instanceof DnsRawRecord raw
                    && names.contains(strip(rec.name()).toLowerCase(Locale.ROOT))) {
                String target = cnameTarget(raw.content());
                if (target != null) {
                    names.add(target.toLowerCase(Locale.ROOT));
                }
            }
        }
        for (int i = 0; i < count; i++) {
            DnsRecord rec = response.recordAt(DnsSection.ANSWER, i);
            if (!rec.type().equals(r.queryType) || !(rec instanceof DnsRawRecord raw)
                    || !names.contains(strip(rec.name()).toLowerCase(Locale.ROOT))) {
                continue;
            }
            ByteBuf c = raw.content();
            int expected = r.queryType.equals(DnsRecordType.A) ? 4 : 16;
            if (c.readableBytes() != expected) {
                return Resolution.Status.INVALID;
            }
            byte[] b = new byte[expected];
            c.getBytes(c.readerIndex(), b);
            try {
                InetAddress a = InetAddress.getByAddress(b);
                if (!out.contains(a)) {
                    out.add(a);
                }
            } catch (UnknownHostException e) {
                return Resolution.Status.INVALID;
            }
        }
        return out.isEmpty() ? Resolution.Status.OTHER : Resolution.Status.VALID;
    }

    /** A CNAME's target, uncompressed: Netty's decoder expands the names of raw records it knows (CNAME among them). */
    private static String cnameTarget(ByteBuf content) {
        StringBuilder name = new StringBuilder();
        int i = content.readerIndex();
        int end = content.writerIndex();
        while (i < end) {
            int len = content.getUnsignedByte(i++);
            if (len == 0) {
                return name.toString();
            }
            if (len > 63 || i + len > end) {
                return null; // compressed or malformed: not followed
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(content.toString(i, len, java.nio.charset.StandardCharsets.US_ASCII));
            i += len;
        }
        return null;
    }

    private static String strip(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** HAProxy drops an answer larger than its accepted_payload_size rather than read part of it. */
    private final class OversizedAnswerFilter extends SimpleChannelInboundHandler<DatagramPacket> {
        OversizedAnswerFilter() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            if (p.content().readableBytes() > config.acceptedPayloadSize()) {
                p.release();
                return;
            }
            ctx.fireChannelRead(p);
        }
    }

    private final class Answers extends SimpleChannelInboundHandler<DatagramDnsResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse response) {
            answered(response);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A datagram that does not decode is dropped, as HAProxy drops an invalid response.
            LOG.debug("{}", new LogLine().add("event", "dns_invalid_answer").add("resolvers", config.name())
                    .add("error", cause.toString()));
        }
    }
}
