package io.rtmprouter.tls;

import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.rtmprouter.config.BindConfig;
import io.rtmprouter.config.TlsConfig;

import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The TLS side of one `bind ... ssl`: its certificates, loaded once at start-up, and a handler
 * per client connection that answers with the certificate the client's SNI names. As in
 * HAProxy, the first certificate loaded is the default, for clients that send no SNI or a name
 * no certificate has; when two certificates share a name, the first one loaded keeps it.
 */
public final class ServerTls {
    private final List<ServerCertificate> certificates;
    private final Mapping<String, SslContext> contextsByHostName;

    private ServerTls(List<ServerCertificate> certificates, Mapping<String, SslContext> contextsByHostName) {
        this.certificates = List.copyOf(certificates);
        this.contextsByHostName = contextsByHostName;
    }

    /** Reads and checks every certificate the bind names; the exception's message is ready to print. */
    public static ServerTls load(BindConfig bind) throws CertificateLoadException {
        TlsConfig tls = bind.tls();
        if (tls == null) {
            throw new IllegalArgumentException("bind " + bind + " at " + bind.where() + " has no 'ssl'");
        }
        List<ServerCertificate> certificates = new ArrayList<>();
        for (Path crt : tls.certificates()) {
            certificates.addAll(PemCertificateReader.read(crt, bind.where()));
        }
        List<SslContext> contexts = new ArrayList<>();
        for (ServerCertificate c : certificates) {
            contexts.add(context(c, tls, bind));
        }
        DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(contexts.get(0));
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < certificates.size(); i++) {
            for (String name : certificates.get(i).hostNames()) {
                String key = name.toLowerCase(Locale.ROOT);
                if (isHostName(key) && taken.add(key)) {
                    mapping.add(key, contexts.get(i));
                }
            }
        }
        return new ServerTls(certificates, mapping.build());
    }

    /**
     * A new handler for one client connection: it reads the ClientHello, picks the certificate by
     * SNI, and replaces itself with the SslHandler that does the handshake (with the channel's own
     * allocator). Netty's default handshake timeout (10 s) applies.
     */
    public ChannelHandler newHandler() {
        return new SniHandler(contextsByHostName);
    }

    /** Every certificate of the bind in load order; the first is the default. */
    public List<ServerCertificate> certificates() {
        return certificates;
    }

    /** One second past the 604,800 s a TLS 1.3 ticket may live at most: the JDK then issues none. */
    static final long NO_TLS13_TICKETS_SESSION_SECONDS = 7 * 24 * 3600 + 1;
    /** The JDK's switch for RFC 5077 session tickets (TLS 1.2), read once when JSSE configures itself. */
    static final String TLS12_TICKETS_PROPERTY = "jdk.tls.server.enableSessionTicketExtension";

    static {
        // With the long session timeout the JDK would still accept a TLS 1.2 client's ticket
        // extension in its ServerHello, then send no ticket ("Session timeout is too long"), and
        // GnuTLS aborts such a handshake. Without tickets TLS 1.2 resumes from the session cache.
        // An operator's own -D setting is left as it is.
        if (System.getProperty(TLS12_TICKETS_PROPERTY) == null) {
            System.setProperty(TLS12_TICKETS_PROPERTY, "false");
        }
    }

    private static SslContext context(ServerCertificate c, TlsConfig tls, BindConfig bind)
            throws CertificateLoadException {
        try {
            return SslContextBuilder.forServer(c.key(), c.chain().toArray(new X509Certificate[0]))
                    // The JDK's TLS: no native library to install, and what the JDK supports is enough here.
                    .sslProvider(SslProvider.JDK)
                    .protocols(tls.protocols())
                    // No TLS 1.3 NewSessionTicket: librtmp's GnuTLS path (rtmpdump, rtmpsrc,
                    // python-librtmp) takes the ticket that follows the handshake for the RTMP
                    // handshake's bytes and fails rtmps, and crashes over rtmpts. The JDK sends no
                    // ticket when sessions may outlive a ticket's 7-day maximum (RFC 8446 4.6.1).
                    // Only TLS 1.3 resumption is lost; TLS 1.2 keeps its session cache.
                    .sessionTimeout(NO_TLS13_TICKETS_SESSION_SECONDS)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new CertificateLoadException(bind.where(), c.file(), "the TLS library refused it: " + e.getMessage());
        }
    }

    /**
     * Only names a client could send in SNI are mapped: letters, digits, '-', '.', and a leading
     * "*." wildcard. A CN such as "My Test Server" can never be asked for.
     */
    private static boolean isHostName(String name) {
        String rest = name.startsWith("*.") ? name.substring(2) : name;
        return !rest.isEmpty() && rest.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?") && !rest.contains("..");
    }
}
