package org.bulwark.rfs.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * The replication channel's framing, in front of every session's handler: frames of at most {@link
 * MsgCodec#MAX_FRAME} bytes decoded into {@link Msg}s, {@link Msg}s encoded with their length. A
 * frame that does not decode closes the connection (the handler sees a {@link ProtocolException}).
 * This is where TLS will slot in (DESIGN: security comes next).
 */
final class Framing {
  private Framing() {}

  static void install(ChannelPipeline p) {
    p.addLast("frames", new LengthFieldBasedFrameDecoder(MsgCodec.MAX_FRAME, 0, 4, 0, 4));
    p.addLast("decode", new Decoder());
    p.addLast("encode", new Encoder());
  }

  private static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out)
        throws ProtocolException {
      out.add(MsgCodec.decode(frame));
    }
  }

  private static final class Encoder extends MessageToByteEncoder<Msg> {
    @Override
    protected void encode(ChannelHandlerContext ctx, Msg msg, ByteBuf out) {
      int start = out.writerIndex();
      out.writeInt(0);
      MsgCodec.encode(msg, out);
      out.setInt(start, out.writerIndex() - start - 4);
    }
  }
}
