package io.rtmprouter.proxy.inspect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.rtmprouter.proxy.session.InspectionEvent;
import io.rtmprouter.proxy.session.NextStage;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import io.rtmprouter.proxy.transport.GatheringStage;
import io.rtmprouter.rtmp.ChunkStreamReader;
import io.rtmprouter.rtmp.ConnectCommand;
import io.rtmprouter.rtmp.MalformedRtmpException;
import io.rtmprouter.rtmp.RtmpMessage;

/**
 * Reads the client's chunk stream after the handshake up to the connect command, records what
 * connect says in the session, then passes every byte it read on, unchanged, to be replayed to
 * the server. Only protocol control messages may come before connect.
 */
public final class ConnectReader extends GatheringStage {
    /** Real connect commands are a few hundred bytes; Flash's largest stay under 2 KiB. */
    public static final int MAX_CONNECT_BYTES = 16 * 1024;
    /** Everything held before connect is complete, control messages included. */
    static final int MAX_BUFFERED_BYTES = 32 * 1024;
    private static final int TYPE_AMF3_COMMAND = 17;
    private static final int TYPE_AMF0_COMMAND = 20;
    private static final int LAST_CONTROL_TYPE = 6;

    public static final String NAME = "rtmp-connect";
    private final ChunkStreamReader reader = new ChunkStreamReader(MAX_CONNECT_BYTES);
    private final NextStage route;
    /** Bytes of what was gathered already parsed into chunks. */
    private int parsed;
    private Session session;

    /** @param route the stage that takes the session once its connect is read */
    public ConnectReader(NextStage route) {
        this.route = route;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        session = Session.of(ctx.channel());
    }

    @Override
    protected void onBytes(ChannelHandlerContext ctx, ByteBuf buffered) {
        try {
            ConnectCommand connect = parse(buffered);
            if (connect != null) {
                handOver(ctx, connect);
            } else if (buffered.readableBytes() > MAX_BUFFERED_BYTES) {
                throw new MalformedRtmpException("no connect command in the first " + MAX_BUFFERED_BYTES + " bytes");
            }
        } catch (MalformedRtmpException e) {
            session.end(Termination.BAD_REQUEST, e.getMessage());
            ctx.close();
        }
    }

    private ConnectCommand parse(ByteBuf buffered) throws MalformedRtmpException {
        ByteBuf view = buffered.duplicate();
        view.readerIndex(buffered.readerIndex() + parsed);
        RtmpMessage m;
        while ((m = reader.next(view)) != null) {
            parsed = view.readerIndex() - buffered.readerIndex();
            if (m.typeId() == TYPE_AMF0_COMMAND || m.typeId() == TYPE_AMF3_COMMAND) {
                ByteBuf payload = Unpooled.wrappedBuffer(m.payload());
                try {
                    return ConnectCommand.decode(payload, m.typeId() == TYPE_AMF3_COMMAND);
                } finally {
                    payload.release();
                }
            }
            if (m.typeId() > LAST_CONTROL_TYPE) {
                throw new MalformedRtmpException("message type " + m.typeId() + " before connect");
            }
        }
        parsed = view.readerIndex() - buffered.readerIndex();
        return null;
    }

    private void handOver(ChannelHandlerContext ctx, ConnectCommand c) {
        session.inspected(c);
        ByteBuf all = take();
        route.addAfter(ctx);
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(all);
        ctx.pipeline().fireUserEventTriggered(InspectionEvent.DONE);
    }
}
