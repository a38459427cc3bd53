package org.bulwark.rfs.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;

/**
 * One end of a replication connection played by the test with a plain socket: frames built byte by
 * byte (well-formed with {@link MsgCodec}, or not), sent as they are, and what the other end
 * answers read back with a deadline. Stands for a forged secondary connecting to a primary, or a
 * forged primary a secondary connects to.
 */
final class RawFrames implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawFrames(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects from {@code from} (any port) to {@code to}. */
  static RawFrames connect(InetAddress from, InetSocketAddress to) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(to, 5_000);
    return new RawFrames(s);
  }

  /** Accepts the next connection within {@code millis}. */
  static RawFrames accept(ServerSocket server, long millis) throws IOException {
    server.setSoTimeout((int) millis);
    return new RawFrames(server.accept());
  }

  /** A well-formed frame holding {@code msg}. */
  static byte[] frame(Msg msg) {
    return frame(b -> MsgCodec.encodeWhole(msg, b));
  }

  /** A frame whose body {@code body} writes, with its true length in front. */
  static byte[] frame(Consumer<ByteBuf> body) {
    ByteBuf b = Unpooled.buffer();
    try {
      b.writeInt(0);
      body.accept(b);
      b.setInt(0, b.readableBytes() - 4);
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      return out;
    } finally {
      b.release();
    }
  }

  /** A body that is a {@link Msg.Op} with this change, its fields written by {@code fields}. */
  static byte[] op(long seq, Consumer<ByteBuf> change) {
    return op(seq, 0, change);
  }

  /** As {@link #op(long, Consumer)}, with the change's flags byte {@code flags}. */
  static byte[] op(long seq, int flags, Consumer<ByteBuf> change) {
    return frame(
        b -> {
          b.writeByte(10); // OP
          b.writeLong(seq);
          b.writeByte(flags);
          change.accept(b);
        });
  }

  void send(byte[]... frames) throws IOException {
    for (byte[] f : frames) {
      out.write(f);
    }
    out.flush();
  }

  /** The next message within {@code millis}; null if the other end closed the connection. */
  Msg read(long millis) throws IOException {
    socket.setSoTimeout((int) millis);
    try {
      int length = in.readInt();
      if (length < 0 || length > MsgCodec.MAX_FRAME) {
        throw new IOException("the other end sent a frame of " + length + " bytes");
      }
      byte[] body = new byte[length];
      in.readFully(body);
      return MsgCodec.decode(Unpooled.wrappedBuffer(body));
    } catch (EOFException | SocketException closed) {
      return null;
    } catch (ProtocolException e) {
      throw new IOException("the other end sent a malformed frame", e);
    }
  }

  /** The next message that is not a {@link Msg.Ping}, within {@code millis}; null if closed. */
  Msg readSkippingPings(long millis) throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (true) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      Msg m = read(left);
      if (!(m instanceof Msg.Ping)) {
        return m;
      }
    }
  }

  /**
   * Whether the other end closes the connection within {@code millis}, whatever it sends first
   * (read and dropped).
   */
  boolean closedWithin(long millis) throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    byte[] drop = new byte[8192];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) left);
      try {
        if (in.read(drop) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (SocketException reset) {
        return true;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
