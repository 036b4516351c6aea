package io.rtmprouter.health;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmprouter.config.CheckStatus;
import io.rtmprouter.rtmp.Amf0Decoder;
import io.rtmprouter.rtmp.Amf0Encoder;
import io.rtmprouter.rtmp.ChunkStreamReader;
import io.rtmprouter.rtmp.ChunkWriter;
import io.rtmprouter.rtmp.ClientHandshake;
import io.rtmprouter.rtmp.Handshake;
import io.rtmprouter.rtmp.MalformedRtmpException;
import io.rtmprouter.rtmp.RtmpMessage;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * rtmp-router's own `option rtmp-check [APP]`: the client side of an RTMP handshake and, with an
 * APP, a connect to it, which must be answered `_result` with NetConnection.Connect.Success. An
 * origin that accepts TCP but no longer speaks RTMP (a frozen nginx-rtmp worker: the kernel
 * still accepts) times out here where a connect check passes. What the server sends is bounded
 * ({@link #MAX_ANSWER}); the check's timeout bounds the wait.
 */
final class RtmpCheckConversation extends ChannelInboundHandlerAdapter {
    /** Far more than a handshake and a connect's answers (about 3.5 KiB from nginx-rtmp). */
    static final int MAX_ANSWER = 65536;
    private static final int S0_S1 = 1 + Handshake.PACKET_SIZE;
    private static final int S0_S1_S2 = S0_S1 + Handshake.PACKET_SIZE;
    private static final int COMMAND_AMF0 = 20;

    private final String app;
    private final String tcUrl;
    private final Duration timeout;
    private final long startedNanos;
    private final Consumer<CheckResult> done;
    private final ClientHandshake handshake = new ClientHandshake(ThreadLocalRandom.current(), 0);
    private final ChunkStreamReader reader = new ChunkStreamReader(MAX_ANSWER);
    private ByteBuf answer;
    private int answered;
    private boolean sentC2;
    private boolean connecting;
    private boolean finished;
    private ScheduledFuture<?> timer;

    /**
     * @param app   the application to connect to; null checks the handshake alone
     * @param tcUrl the connect's tcUrl, rtmp://ADDRESS:PORT/APP as a player would write it
     */
    RtmpCheckConversation(String app, String tcUrl, Duration timeout, long startedNanos, Consumer<CheckResult> done) {
        this.app = app;
        this.tcUrl = tcUrl;
        this.timeout = timeout;
        this.startedNanos = startedNanos;
        this.done = done;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        answer = ctx.alloc().buffer();
        timer = ctx.executor().schedule(() -> finish(ctx, CheckStatus.L7TOUT, connecting
                ? "no answer to connect to '" + app + "'" : "no RTMP handshake answer"), timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(handshake.c0c1()));
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf b && !finished && answer != null) {
                answered += b.readableBytes();
                if (answered > MAX_ANSWER) {
                    finish(ctx, CheckStatus.L7RSP, "more than " + MAX_ANSWER + " bytes without an answer to connect");
                    return;
                }
                answer.writeBytes(b);
                advance(ctx);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!finished) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish(ctx, CheckStatus.L7RSP, connecting ? "server closed the connection without answering connect to '" + app + "'"
                : "server closed the connection during the RTMP handshake");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        finish(ctx, CheckStatus.SOCKERR, HealthChecker.describe(cause));
    }

    private void advance(ChannelHandlerContext ctx) {
        if (!connecting) {
            handshake(ctx);
        }
        if (connecting && !finished && answer != null) {
            readAnswers(ctx);
        }
    }

    private void handshake(ChannelHandlerContext ctx) {
        int version = answer.getUnsignedByte(answer.readerIndex());
        if (version != Handshake.VERSION) {
            finish(ctx, CheckStatus.L7RSP, String.format("RTMP handshake answered with version 0x%02x", version));
            return;
        }
        if (!sentC2 && answer.readableBytes() >= S0_S1) {
            byte[] s1 = new byte[Handshake.PACKET_SIZE];
            answer.getBytes(answer.readerIndex() + 1, s1);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(handshake.c2(s1)));
            sentC2 = true;
        }
        if (answer.readableBytes() < S0_S1_S2) {
            return;
        }
        answer.skipBytes(S0_S1_S2);
        if (app == null) {
            finish(ctx, CheckStatus.L7OK, "RTMP handshake done");
            return;
        }
        connecting = true;
        ctx.writeAndFlush(connect(ctx));
    }

    /** connect(1, {app, flashVer, tcUrl, ...}) on chunk stream 3, as a player sends it. */
    private ByteBuf connect(ChannelHandlerContext ctx) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("app", app);
        props.put("flashVer", "LNX 9,0,124,2");
        props.put("tcUrl", tcUrl);
        props.put("fpad", false);
        props.put("capabilities", 15.0);
        props.put("audioCodecs", 3191.0);
        props.put("videoCodecs", 252.0);
        props.put("videoFunction", 1.0);
        ByteBuf payload = ctx.alloc().buffer();
        new Amf0Encoder(payload).value("connect").value(1.0).value(props);
        ByteBuf out = ctx.alloc().buffer();
        try {
            new ChunkWriter().write(out, 3, COMMAND_AMF0, 0, 0, payload);
        } finally {
            payload.release();
        }
        return out;
    }

    private void readAnswers(ChannelHandlerContext ctx) {
        try {
            for (RtmpMessage m; !finished && (m = reader.next(answer)) != null; ) {
                if (m.typeId() == COMMAND_AMF0) {
                    judge(ctx, m);
                }
            }
        } catch (MalformedRtmpException e) {
            finish(ctx, CheckStatus.L7RSP, "malformed answer to connect: " + e.getMessage());
        }
        if (!finished) {
            answer.discardReadBytes();
        }
    }

    /** `_result` or `_error` of transaction 1, with its info object's code (and description). */
    private void judge(ChannelHandlerContext ctx, RtmpMessage m) throws MalformedRtmpException {
        Amf0Decoder d = new Amf0Decoder(Unpooled.wrappedBuffer(m.payload()));
        Object name = d.readValue();
        Object transaction = d.hasMore() ? d.readValue() : null;
        boolean result = "_result".equals(name);
        if (!(result || "_error".equals(name)) || !(transaction instanceof Double t) || t != 1.0) {
            return; // onBWDone and the like
        }
        Object code = null;
        Object description = null;
        while (d.hasMore()) {
            if (d.readValue() instanceof Map<?, ?> info && info.containsKey("code")) {
                code = info.get("code");
                description = info.get("description");
            }
        }
        if (result && "NetConnection.Connect.Success".equals(code)) {
            finish(ctx, CheckStatus.L7OK, "NetConnection.Connect.Success");
        } else {
            finish(ctx, CheckStatus.L7STS, (result ? "_result " : "_error ") + code
                    + (description != null ? ": " + description : ""));
        }
    }

    private void finish(ChannelHandlerContext ctx, CheckStatus status, String info) {
        if (finished) {
            return;
        }
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
        // Given back now: a router stopping may end the loop before the pipeline is torn down.
        releaseAnswer();
        ctx.close();
        done.accept(new CheckResult(status, 0, info, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos)));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAnswer();
    }

    private void releaseAnswer() {
        if (answer != null) {
            answer.release();
            answer = null;
        }
    }
}
