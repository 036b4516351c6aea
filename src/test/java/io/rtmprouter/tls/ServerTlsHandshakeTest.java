package io.rtmprouter.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.rtmprouter.config.BindConfig;
import io.rtmprouter.config.SourceLocation;
import io.rtmprouter.config.TlsConfig;
import io.rtmprouter.config.TlsVersion;
import io.rtmprouter.testing.TestCertificates;
import io.rtmprouter.testing.TestCertificates.Credential;
import io.rtmprouter.testing.TestCertificates.KeyFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Real handshakes over loopback between JDK clients and a Netty server whose pipeline is
 * `newHandler()` followed by an echo: SNI picks the certificate, and the bind's versions hold.
 */
class ServerTlsHandshakeTest {
    private static final Credential A = TestCertificates.rsa("a.example.com", "a.example.com");
    private static final Credential B = TestCertificates.ec("b.example.com", "b.example.com", "b2.example.com");
    private static final Credential WILD = TestCertificates.rsa("*.wild.example.com", "*.wild.example.com");
    private static final Credential EXACT = TestCertificates.ec("exact.wild.example.com");
    private static final Credential SECOND_A = TestCertificates.ec("a.example.com");
    private static EventLoopGroup group;

    @TempDir
    Path dir;

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Echoes what the client sends once TLS is up; closes on a failed handshake. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** A TLS server on 127.0.0.1 (a free port) for the given certificates in order. */
    private Channel serve(TlsVersion min, TlsVersion max, Path... crts) throws Exception {
        BindConfig bind = new BindConfig("127.0.0.1", 0, null, 0, new TlsConfig(List.of(crts), min, max),
                new SourceLocation("test.cfg", 2));
        ServerTls tls = ServerTls.load(bind);
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(), new Echo());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    private Channel serveAll() throws Exception {
        return serve(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, A.writePem(dir.resolve("a.pem"), KeyFormat.PKCS1),
                B.writePem(dir.resolve("b.pem"), KeyFormat.SEC1), WILD.writePem(dir.resolve("wild.pem"), KeyFormat.PKCS8),
                EXACT.writePem(dir.resolve("exact.pem"), KeyFormat.SEC1),
                SECOND_A.writePem(dir.resolve("second-a.pem"), KeyFormat.PKCS8));
    }

    private static int port(Channel server) {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Handshakes with the given SNI (null: none) and protocols, checks the echo, returns the session. */
    private static javax.net.ssl.SSLSession handshake(Channel server, String sni, String... protocols) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port(server)), 2000);
            socket.setSoTimeout(5000);
            SSLParameters p = socket.getSSLParameters();
            p.setServerNames(sni == null ? List.<SNIServerName>of() : List.of(new SNIHostName(sni)));
            p.setProtocols(protocols);
            socket.setSSLParameters(p);
            socket.startHandshake();
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(ping);
            socket.getOutputStream().flush();
            assertArrayEquals(ping, socket.getInputStream().readNBytes(4));
            return socket.getSession();
        }
    }

    private static X509Certificate certificateFor(Channel server, String sni) throws Exception {
        return (X509Certificate) handshake(server, sni, "TLSv1.3", "TLSv1.2").getPeerCertificates()[0];
    }

    @Test
    void sniPicksTheCertificateAndTheFirstIsTheDefault() throws Exception {
        Channel server = serveAll();
        try {
            assertEquals(B.certificate(), certificateFor(server, "b.example.com"));
            assertEquals(B.certificate(), certificateFor(server, "B2.Example.COM"), "names are case-insensitive");
            assertEquals(A.certificate(), certificateFor(server, "a.example.com"));
            assertEquals(A.certificate(), certificateFor(server, null), "no SNI: the first certificate");
            assertEquals(A.certificate(), certificateFor(server, "unknown.example.com"), "unknown name: the first");
            assertEquals(WILD.certificate(), certificateFor(server, "x.wild.example.com"));
            assertEquals(A.certificate(), certificateFor(server, "y.x.wild.example.com"),
                    "a wildcard covers one label only");
            assertEquals(A.certificate(), certificateFor(server, "wild.example.com"));
            assertEquals(EXACT.certificate(), certificateFor(server, "exact.wild.example.com"),
                    "an exact name wins over a wildcard, whatever the order");
            assertEquals(A.certificate(), certificateFor(server, "a.example.com"),
                    "a name two certificates share stays with the first");
        } finally {
            server.close().sync();
        }
    }

    @Test
    void aCrtDirectoryServesEachOfItsCertificatesAlphabeticallyFirstAsDefault() throws Exception {
        Path certs = java.nio.file.Files.createDirectory(dir.resolve("certs"));
        B.writePem(certs.resolve("10-b.pem"), KeyFormat.PKCS8);
        A.writePemWithKeyBeside(certs.resolve("20-a.pem"), KeyFormat.PKCS8);
        Channel server = serve(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, certs);
        try {
            assertEquals(B.certificate(), certificateFor(server, null));
            assertEquals(A.certificate(), certificateFor(server, "a.example.com"));
        } finally {
            server.close().sync();
        }
    }

    @Test
    void tls12AndTls13AreSpokenByDefault() throws Exception {
        Channel server = serveAll();
        try {
            assertEquals("TLSv1.2", handshake(server, "b.example.com", "TLSv1.2").getProtocol());
            assertEquals("TLSv1.3", handshake(server, "b.example.com", "TLSv1.3").getProtocol());
            assertEquals("TLSv1.3", handshake(server, null, "TLSv1.2", "TLSv1.3").getProtocol());
        } finally {
            server.close().sync();
        }
    }

    /**
     * The JDK disables TLS 1.1 in its own clients (jdk.tls.disabledAlgorithms), so an SSLSocket
     * limited to it would fail before the server is asked. This sends a TLS 1.1 ClientHello by
     * hand, as an old encoder would, and expects the server's fatal protocol_version alert.
     */
    @Test
    void aTls11ClientIsRefusedWithAProtocolVersionAlert() throws Exception {
        Channel server = serveAll();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port(server)), 2000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(tls11ClientHello());
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] alert = in.readNBytes(7);
            assertEquals(7, alert.length, "an alert record, not a closed connection");
            assertEquals(21, alert[0], "content type alert");
            assertEquals(2, alert[5], "level fatal");
            assertEquals(70, alert[6], "protocol_version");
            assertEquals(-1, in.read(), "then the server closes");
        } finally {
            server.close().sync();
        }
    }

    @Test
    void sslMinVerTls13RefusesATls12Client() throws Exception {
        Channel server = serve(TlsVersion.TLS_1_3, TlsVersion.TLS_1_3, B.writePem(dir.resolve("b.pem"), KeyFormat.SEC1));
        try {
            assertThrows(SSLHandshakeException.class, () -> handshake(server, "b.example.com", "TLSv1.2"));
            assertEquals("TLSv1.3", handshake(server, "b.example.com", "TLSv1.2", "TLSv1.3").getProtocol());
        } finally {
            server.close().sync();
        }
    }

    @Test
    void sslMaxVerTls12RefusesATls13OnlyClient() throws Exception {
        Channel server = serve(TlsVersion.TLS_1_2, TlsVersion.TLS_1_2, A.writePem(dir.resolve("a.pem"), KeyFormat.PKCS1));
        try {
            assertThrows(SSLHandshakeException.class, () -> handshake(server, null, "TLSv1.3"));
            assertEquals("TLSv1.2", handshake(server, null, "TLSv1.2", "TLSv1.3").getProtocol());
        } finally {
            server.close().sync();
        }
    }

    /** A minimal TLS 1.1 ClientHello: two RSA/ECDHE CBC suites, no compression, no extensions. */
    private static byte[] tls11ClientHello() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(body);
        b.writeShort(0x0302);                 // client_version TLS 1.1
        b.write(new byte[32]);                // random
        b.writeByte(0);                       // no session id
        b.writeShort(4);                      // cipher suites
        b.writeShort(0xC013);                 // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
        b.writeShort(0x002F);                 // TLS_RSA_WITH_AES_128_CBC_SHA
        b.writeByte(1);                       // compression methods: null
        b.writeByte(0);
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        DataOutputStream r = new DataOutputStream(record);
        r.writeByte(22);                      // handshake
        r.writeShort(0x0301);
        r.writeShort(4 + body.size());
        r.writeByte(1);                       // client_hello
        r.writeByte(0);
        r.writeShort(body.size());
        body.writeTo(r);
        return record.toByteArray();
    }
}
