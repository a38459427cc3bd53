package org.bulwark.shell.internal;

import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The client end of the wire format over the real socket, for tests: every wait has a deadline and
 * fails the test when it passes, so no test sleeps or hangs.
 */
final class TestClient {
  private TestClient() {}

  static SocketChannel connect(Path socket) throws IOException {
    return SocketChannel.open(UnixDomainSocketAddress.of(socket));
  }

  static byte[] request(List<String> args, List<String> env) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Frames.writeRequest(new DataOutputStream(bytes), args, env);
    return bytes.toByteArray();
  }

  static void send(SocketChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Sends one request on a fresh connection and reads the whole reply. */
  static Frames.Reply call(Path socket, Duration within, String... args) throws IOException {
    try (SocketChannel channel = connect(socket)) {
      send(channel, request(List.of(args), List.of("USER=test")));
      return reply(channel, within);
    }
  }

  /** Reads until a whole reply (ending with its exit code) has arrived. */
  static Frames.Reply reply(SocketChannel channel, Duration within) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    read(channel, within, received, false);
    return parse(received.toByteArray());
  }

  /** Reads until the server closes the connection; returns what it sent before. */
  static byte[] untilClosed(SocketChannel channel, Duration within) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    read(channel, within, received, true);
    return received.toByteArray();
  }

  /** The reply in {@code bytes}, or null while it is incomplete. */
  static Frames.Reply parse(byte[] bytes) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    while (in.remaining() >= 5) {
      byte type = in.get();
      int length = in.getInt();
      if (in.remaining() < length) {
        return null;
      }
      in.position(in.position() + length);
      if (type == Frames.EXIT) {
        return Frames.readReply(new DataInputStream(new ByteArrayInputStream(bytes)));
      }
    }
    return null;
  }

  private static void read(
      SocketChannel channel, Duration within, ByteArrayOutputStream received, boolean untilClosed)
      throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    channel.configureBlocking(false);
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_READ);
      while (untilClosed || parse(received.toByteArray()) == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("nothing more within " + within + " (received " + received.size() + " bytes)");
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
        int n;
        try {
          n = channel.read(buffer.clear());
        } catch (IOException reset) {
          n = -1; // the server closed with our bytes unread: a close all the same
        }
        if (n < 0) {
          if (untilClosed) {
            return;
          }
          fail("closed before a whole reply (received " + received.size() + " bytes)");
        }
        received.write(buffer.array(), 0, n);
      }
    }
  }
}
