package org.bulwark.rfs.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.MessageSizeEstimator;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * The replication channel's framing, in front of every session's handler: frames of at most {@link
 * MsgCodec#MAX_FRAME} bytes decoded into {@link Msg}s, {@link Msg}s encoded with their length. A
 * frame that does not decode closes the connection (the handler sees a {@link ProtocolException}).
 * This is where TLS will slot in (DESIGN: security comes next).
 *
 * <p>A write's data is never copied here: it is sent as its own buffer after the encoded fields (a
 * gathering write), and received frames are kept as the buffers they were read into (composite
 * cumulation), the write's data a slice of them.
 *
 * <p>A message written from a thread other than the connection's event loop waits in the loop's
 * task queue before it is encoded, and counts against the connection's water marks meanwhile as
 * {@link #SIZES} says: a write's data is counted at its length, so that the senders' backpressure
 * ({@link PrimarySession}) sees it. Netty's default counted every message 8 bytes: a
 * reintegration's streams queued 1 MiB pieces faster than a busy loop encoded them, with the
 * connection still writable, until the primary's direct memory (the heap's 256 MiB on a node) ran
 * out and the reintegration started again (docs/benchmarks.md, "Full synchronisation").
 */
final class Framing {
  private Framing() {}

  static void install(ChannelPipeline p) {
    p.channel().config().setMessageSizeEstimator(SIZES);
    LengthFieldBasedFrameDecoder frames =
        new LengthFieldBasedFrameDecoder(MsgCodec.MAX_FRAME, 0, 4, 0, 4);
    // the default merging cumulator copies every read that follows a partial frame, which is
    // nearly every read of a stream of large writes
    frames.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
    p.addLast("frames", frames);
    p.addLast("decode", new Decoder());
    p.addLast("encode", new Encoder());
  }

  /** A message's weight against the water marks: its encoded fields and a write's data. */
  static final MessageSizeEstimator SIZES =
      new MessageSizeEstimator() {
        private final Handle bytes = DefaultMessageSizeEstimator.DEFAULT.newHandle();

        @Override
        public Handle newHandle() {
          return msg -> {
            if (msg instanceof Msg m) {
              ByteBuf data = dataOf(m);
              return FIELDS + (data == null ? 0 : data.readableBytes());
            }
            return bytes.size(msg); // encoded: its buffers' length
          };
        }
      };

  /** About what a message's fields take once encoded (a path and a few numbers). */
  private static final int FIELDS = 128;

  private static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out)
        throws ProtocolException {
      out.add(MsgCodec.decode(frame));
    }
  }

  private static final class Encoder extends MessageToMessageEncoder<Msg> {
    @Override
    protected void encode(ChannelHandlerContext ctx, Msg msg, List<Object> out) {
      ByteBuf data = dataOf(msg);
      out.add(head(ctx.alloc(), msg, data));
      if (data != null) {
        out.add(data); // the change's reference, released once written (or failed)
      }
    }
  }

  /** The data sent as it is after a message's encoded fields: a write's; null for the others. */
  static ByteBuf dataOf(Msg msg) {
    return msg instanceof Msg.Op op && op.change() instanceof Change.Write w ? w.data() : null;
  }

  /**
   * A message's length and encoded fields, {@code data} (its {@link #dataOf}) to follow; on failure
   * the data is released with it.
   */
  static ByteBuf head(ByteBufAllocator alloc, Msg msg, ByteBuf data) {
    ByteBuf head = alloc.ioBuffer(data == null ? 256 : 128);
    try {
      head.writeInt(0);
      MsgCodec.encode(msg, head);
      int length = head.writerIndex() - 4 + (data == null ? 0 : data.readableBytes());
      head.setInt(0, length);
      return head;
    } catch (RuntimeException e) {
      head.release();
      if (data != null) {
        data.release();
      }
      throw e;
    }
  }
}
