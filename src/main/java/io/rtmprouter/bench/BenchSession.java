package io.rtmprouter.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmprouter.rtmp.Amf0Decoder;
import io.rtmprouter.rtmp.Amf0Encoder;
import io.rtmprouter.rtmp.ChunkStreamReader;
import io.rtmprouter.rtmp.ChunkWriter;
import io.rtmprouter.rtmp.Handshake;
import io.rtmprouter.rtmp.MalformedRtmpException;
import io.rtmprouter.rtmp.RtmpMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One RTMP client session of the load generator, as a player does it: handshake (simple form),
 * connect, then createStream and play (play mode) or nothing (idle mode), then it holds, reading
 * everything, acknowledging as the server's window asks. Reports a {@link SessionResult} once.
 */
final class BenchSession extends ByteToMessageDecoder {
    private static final int OUR_CHUNK_SIZE = 4096;
    private static final int MAX_MESSAGE = 16 * 1024 * 1024;
    private static final int SET_CHUNK_SIZE = 1;
    private static final int ACKNOWLEDGEMENT = 3;
    private static final int USER_CONTROL = 4;
    private static final int WINDOW_ACK_SIZE = 5;
    private static final int SET_PEER_BANDWIDTH = 6;
    private static final int AUDIO = 8;
    private static final int VIDEO = 9;
    private static final int COMMAND_AMF0 = 20;
    private static final int SET_BUFFER_LENGTH = 3;
    /** A buffer of an hour: nginx-rtmp then sends a recorded file as fast as the network takes it. */
    private static final int BUFFER_MILLIS = 3_600_000;

    private enum Phase { HANDSHAKE, CONNECT, CREATE_STREAM, PLAY, HOLD }

    private final BenchOptions options;
    private final long startedAt;
    private final Consumer<SessionResult> report;
    private final ChunkStreamReader reader = new ChunkStreamReader(MAX_MESSAGE);
    private final ChunkWriter writer = new ChunkWriter();
    private Phase phase = Phase.HANDSHAKE;
    private long bytesIn;
    private long acknowledged;
    private long window = Long.MAX_VALUE;
    private long connectResultAt = -1;
    private long firstMediaAt = -1;
    private ScheduledFuture<?> deadline;
    private boolean reported;

    /**
     * @param startedAt System.nanoTime() when the TCP connect started
     */
    BenchSession(BenchOptions options, long startedAt, Consumer<SessionResult> report) {
        this.options = options;
        this.startedAt = startedAt;
        this.report = report;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf c0c1 = ctx.alloc().buffer(1 + Handshake.PACKET_SIZE);
        c0c1.writeByte(Handshake.VERSION);
        c0c1.writeZero(Handshake.PACKET_SIZE);
        ctx.writeAndFlush(c0c1);
        expectWithin(ctx, "the handshake");
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) {
            bytesIn += b.readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (reported) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (phase == Phase.HANDSHAKE) {
            if (in.readableBytes() < 1 + 2 * Handshake.PACKET_SIZE) {
                return;
            }
            int version = in.readUnsignedByte();
            if (version != Handshake.VERSION) {
                finish(ctx, "server answered handshake version " + version);
                return;
            }
            ByteBuf s1 = in.readRetainedSlice(Handshake.PACKET_SIZE);
            in.skipBytes(Handshake.PACKET_SIZE);
            ctx.write(s1);
            sendConnect(ctx);
        }
        RtmpMessage m;
        while (!reported && (m = reader.next(in)) != null) {
            onMessage(ctx, m);
        }
        if (bytesIn - acknowledged >= window / 2) {
            acknowledged = bytesIn;
            ByteBuf seq = Unpooled.buffer(4).writeInt((int) bytesIn);
            send(ctx, 2, ACKNOWLEDGEMENT, 0, seq);
        }
        ctx.flush();
    }

    private void sendConnect(ChannelHandlerContext ctx) {
        send(ctx, 2, SET_CHUNK_SIZE, 0, Unpooled.buffer(4).writeInt(OUR_CHUNK_SIZE));
        writer.chunkSize(OUR_CHUNK_SIZE);
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("app", options.url().app());
        command.put("flashVer", "LNX 9,0,124,2");
        command.put("tcUrl", options.url().tcUrl());
        command.put("fpad", false);
        command.put("capabilities", 15.0);
        command.put("audioCodecs", 4071.0);
        command.put("videoCodecs", 252.0);
        command.put("videoFunction", 1.0);
        sendCommand(ctx, 3, 0, "connect", 1, command);
        phase = Phase.CONNECT;
        expectWithin(ctx, "connect's _result");
    }

    private void onMessage(ChannelHandlerContext ctx, RtmpMessage m) throws MalformedRtmpException {
        switch (m.typeId()) {
            case WINDOW_ACK_SIZE -> window = Unpooled.wrappedBuffer(m.payload()).readUnsignedInt();
            // As librtmp and ffmpeg do: answer the server's bandwidth with our window. Sent at once,
            // it also acknowledges the server's first segment, which its Nagle is holding the rest behind.
            case SET_PEER_BANDWIDTH -> send(ctx, 2, WINDOW_ACK_SIZE, 0,
                    Unpooled.buffer(4).writeInt((int) Unpooled.wrappedBuffer(m.payload()).getUnsignedInt(0)));
            case AUDIO, VIDEO -> {
                if (firstMediaAt < 0) {
                    firstMediaAt = System.nanoTime();
                    hold(ctx);
                }
            }
            case COMMAND_AMF0 -> onCommand(ctx, decode(m.payload()));
            default -> {
                // Control messages, metadata: read and counted, nothing to answer.
            }
        }
    }

    private static List<Object> decode(byte[] payload) throws MalformedRtmpException {
        Amf0Decoder d = new Amf0Decoder(Unpooled.wrappedBuffer(payload));
        List<Object> values = new ArrayList<>();
        while (d.hasMore()) {
            values.add(d.readValue());
        }
        return values;
    }

    private void onCommand(ChannelHandlerContext ctx, List<Object> values) {
        String name = values.isEmpty() ? "" : String.valueOf(values.get(0));
        double transaction = values.size() > 1 && values.get(1) instanceof Number n ? n.doubleValue() : -1;
        switch (name) {
            case "_result" -> {
                if (phase == Phase.CONNECT && transaction == 1) {
                    connectResultAt = System.nanoTime();
                    if (options.mode() == BenchOptions.Mode.IDLE) {
                        hold(ctx);
                    } else {
                        sendCommand(ctx, 3, 0, "createStream", 2, null);
                        phase = Phase.CREATE_STREAM;
                        expectWithin(ctx, "createStream's _result");
                    }
                } else if (phase == Phase.CREATE_STREAM && transaction == 2) {
                    int streamId = values.size() > 3 && values.get(3) instanceof Number n ? n.intValue() : 1;
                    play(ctx, streamId);
                }
            }
            case "_error" -> finish(ctx, "server refused " + phase.name().toLowerCase() + ": " + code(values));
            case "onStatus" -> {
                String code = code(values);
                if (code.endsWith(".Play.Stop") || code.endsWith(".Play.Complete")) {
                    finish(ctx, firstMediaAt >= 0 ? null : "stream ended before any media: " + code);
                } else if (code.endsWith("StreamNotFound") || code.endsWith(".Failed") || code.endsWith(".Rejected")) {
                    finish(ctx, "play refused: " + code);
                }
            }
            default -> {
                // onBWDone, onMetaData as a command, and the like.
            }
        }
    }

    private static String code(List<Object> values) {
        for (Object v : values) {
            if (v instanceof Map<?, ?> m && m.get("code") != null) {
                return String.valueOf(m.get("code"));
            }
        }
        return "(no code)";
    }

    private void play(ChannelHandlerContext ctx, int streamId) {
        ByteBuf body = Unpooled.buffer();
        new Amf0Encoder(body).value("play").value(0.0).value(null).value(options.url().stream()).value(-2.0);
        send(ctx, 8, COMMAND_AMF0, streamId, body);
        ByteBuf bufferLength = Unpooled.buffer(10).writeShort(SET_BUFFER_LENGTH).writeInt(streamId).writeInt(BUFFER_MILLIS);
        send(ctx, 2, USER_CONTROL, 0, bufferLength);
        phase = Phase.PLAY;
        expectWithin(ctx, "the first media message");
    }

    private void sendCommand(ChannelHandlerContext ctx, int csid, int streamId, String name, double transaction,
                             Map<String, Object> object) {
        ByteBuf body = Unpooled.buffer();
        new Amf0Encoder(body).value(name).value(transaction).value(object);
        send(ctx, csid, COMMAND_AMF0, streamId, body);
    }

    private void send(ChannelHandlerContext ctx, int csid, int typeId, int streamId, ByteBuf payload) {
        ByteBuf out = ctx.alloc().buffer(payload.readableBytes() + 32);
        writer.write(out, csid, typeId, streamId, 0, payload);
        payload.release();
        ctx.write(out);
    }

    /** The session is set up: it stays for --hold (play mode with hold 0: until the stream ends). */
    private void hold(ChannelHandlerContext ctx) {
        phase = Phase.HOLD;
        cancelDeadline();
        if (!options.hold().isZero()) {
            deadline = ctx.executor().schedule(() -> finish(ctx, null), options.hold().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void expectWithin(ChannelHandlerContext ctx, String what) {
        cancelDeadline();
        deadline = ctx.executor().schedule(() -> finish(ctx, "timeout waiting for " + what),
                options.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void finish(ChannelHandlerContext ctx, String failure) {
        if (reported) {
            return;
        }
        reported = true;
        cancelDeadline();
        report.accept(new SessionResult(failure, connectResultAt < 0 ? -1 : connectResultAt - startedAt,
                firstMediaAt < 0 ? -1 : firstMediaAt - startedAt, bytesIn));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // A server that ends a played stream by closing, after media came, ended a good session.
        boolean streamEnded = phase == Phase.HOLD && options.mode() == BenchOptions.Mode.PLAY;
        finish(ctx, streamEnded ? null : "closed by the server during " + phase.name().toLowerCase());
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause.getCause() != null && cause instanceof io.netty.handler.codec.DecoderException
                ? cause.getCause() : cause;
        finish(ctx, root.getClass().getSimpleName() + ": " + root.getMessage());
    }

    /** A failed TCP connect, before any handler ran. */
    static SessionResult connectFailed(Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // Sessions that failed alike must read alike: drop the target address and the native call's name
        // ("finishConnect(..) failed with error(-111): Connection refused", "...timed out ...: /127.0.0.1:1935").
        int address = reason.indexOf(": /");
        if (address > 0) {
            reason = reason.substring(0, address);
        }
        int call = reason.lastIndexOf("): ");
        if (call > 0) {
            reason = reason.substring(call + 3);
        }
        return new SessionResult("connect failed: " + reason, -1, -1, 0);
    }
}
