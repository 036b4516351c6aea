package io.rtmprouter.runtime;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rtmprouter.config.StatsSocketConfig;
import io.rtmprouter.proxy.Router;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The `stats socket` listeners, on one thread of their own so that a slow client of the API never
 * holds up traffic. As HAProxy's CLI: a connection sends one line (commands separated by `;`) and
 * is closed once answered, unless `prompt` made it interactive (then `> ` after each answer, until
 * `quit`); `stats timeout` closes an idle one; at most `stats maxconn` at once; a line is at most
 * {@link #MAX_LINE} bytes.
 */
public final class RuntimeApiServer implements AutoCloseable {
    static final int MAX_LINE = 16384;
    private final EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();

    private RuntimeApiServer(EventLoopGroup group) {
        this.group = group;
    }

    public static RuntimeApiServer start(Router router, StatsSocketConfig.Settings settings, String version)
            throws IOException, InterruptedException {
        if (settings.sockets().isEmpty()) {
            return new RuntimeApiServer(null); // no `stats socket`: no thread either
        }
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("runtime-api"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        RuntimeApiServer server = new RuntimeApiServer(group);
        try {
            RuntimeCommands commands = new RuntimeCommands(router, version);
            AtomicInteger open = new AtomicInteger();
            for (StatsSocketConfig s : settings.sockets()) {
                server.listen(s, epoll, commands, settings, open);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void listen(StatsSocketConfig s, boolean epoll, RuntimeCommands commands, StatsSocketConfig.Settings settings,
                        AtomicInteger open) throws IOException, InterruptedException {
        Class<? extends ServerChannel> type;
        SocketAddress address;
        if (s.path() != null) {
            Path file = Path.of(s.path());
            // HAProxy replaces a socket file left by an earlier run; anything else is not ours to remove.
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(file);
            }
            type = epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
            address = epoll ? new DomainSocketAddress(file.toFile()) : UnixDomainSocketAddress.of(file);
            socketFiles.add(file);
        } else {
            type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
            address = s.tcp();
        }
        Level level = Level.parse(s.level());
        Channel ch = new ServerBootstrap().group(group).channel(type)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        if (open.incrementAndGet() > settings.maxconn()) {
                            open.decrementAndGet();
                            c.close();
                            return;
                        }
                        c.closeFuture().addListener(f -> open.decrementAndGet());
                        c.pipeline().addLast(handlers(commands, level, settings.timeout().toMillis()));
                    }
                })
                .bind(address).sync().channel();
        listeners.add(ch);
        if (s.path() != null) {
            own(Path.of(s.path()), s);
        }
    }

    /** A client's stages: `stats timeout` on idleness, lines of at most MAX_LINE bytes, the conversation. */
    static io.netty.channel.ChannelHandler[] handlers(RuntimeCommands commands, Level level, long idleMillis) {
        return new io.netty.channel.ChannelHandler[] {new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                new LineBasedFrameDecoder(MAX_LINE, true, true), new Conversation(commands, level)};
    }

    /** `mode`, `user`/`uid`, `group`/`gid` on the socket file, as HAProxy applies them. */
    private static void own(Path file, StatsSocketConfig s) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        if (s.mode() >= 0) {
            Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
            PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_READ};
            for (int bit = 0; bit < order.length; bit++) {
                if ((s.mode() & (1 << bit)) != 0) {
                    perms.add(order[bit]);
                }
            }
            view.setPermissions(perms);
        }
        UserPrincipalLookupService names = file.getFileSystem().getUserPrincipalLookupService();
        if (s.user() != null) {
            view.setOwner(names.lookupPrincipalByName(s.user()));
        }
        if (s.group() != null) {
            view.setGroup(names.lookupPrincipalByGroupName(s.group()));
        }
    }

    @Override
    public void close() {
        listeners.forEach(Channel::close);
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        for (Path f : socketFiles) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // Left behind; the next start replaces it.
            }
        }
    }

    /** One client of the API. */
    static final class Conversation extends SimpleChannelInboundHandler<io.netty.buffer.ByteBuf> {
        private final RuntimeCommands commands;
        private final RuntimeCommands.Conversation state;
        private boolean prompt;

        Conversation(RuntimeCommands commands, Level level) {
            this.commands = commands;
            this.state = new RuntimeCommands.Conversation(level);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, io.netty.buffer.ByteBuf line) {
            String text = line.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            StringBuilder out = new StringBuilder();
            boolean quit = false;
            for (List<String> cmd : CommandLine.split(text)) {
                if (cmd.isEmpty()) {
                    continue;
                }
                if (cmd.get(0).equals("quit")) {
                    quit = true;
                    break;
                }
                if (cmd.get(0).equals("prompt")) {
                    prompt = !prompt;
                    out.append(prompt ? "\n" : "");
                    continue;
                }
                out.append(commands.answer(cmd, state)).append('\n');
            }
            if (prompt && !quit) {
                out.append("> ");
            }
            var written = ctx.writeAndFlush(Unpooled.copiedBuffer(out, StandardCharsets.ISO_8859_1));
            if (quit || !prompt) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close(); // `stats timeout`
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                ctx.writeAndFlush(Unpooled.copiedBuffer("Command line too long.\n\n", StandardCharsets.ISO_8859_1))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.close();
        }
    }
}
