package org.bulwark.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The wire format between the {@code safekit} client and the node, over the local socket {@code
 * SAFEVAR/run/safeadmin.sock}.
 *
 * <p>Request: the magic {@code BWK1}, then a count and that many strings (the arguments), then a
 * count and that many {@code NAME=value} strings (the caller's environment that matters). A string
 * is a 4-byte big-endian length and UTF-8 bytes. A request holds at most {@link #MAX_REQUEST} bytes
 * in all; the node answers a larger one with an error reply.
 *
 * <p>Reply: frames of one type byte, a 4-byte length and a payload: {@code O} bytes for standard
 * output, {@code E} for standard error, {@code X} a 4-byte exit code that ends the reply.
 */
final class Frames {
  static final byte[] MAGIC = {'B', 'W', 'K', '1'};
  static final byte OUT = 'O';
  static final byte ERR = 'E';
  static final byte EXIT = 'X';

  /**
   * Bounds one request, so that clients cannot exhaust the heap: twice the longest single argument
   * Linux passes to a program (MAX_ARG_STRLEN, 128 KiB), so that any argument fits with room for
   * the rest of the command line, while the node holds at most this much for each connection it is
   * reading ({@link CliServer.Limits#maxPending} of them: 16 MiB at worst).
   */
  static final int MAX_REQUEST = 256 * 1024;

  static final int MAX_STRINGS = 4096;

  private Frames() {}

  /** A decoded request. */
  record Request(List<String> args, List<String> environment) {}

  /** Reads one request from a blocking stream, within {@link #MAX_REQUEST} bytes. */
  static Request readRequest(DataInputStream in) throws IOException {
    RequestDecoder decoder = new RequestDecoder(MAX_REQUEST);
    byte[] chunk = new byte[8192];
    while (decoder.status() == RequestDecoder.Status.NEED_MORE) {
      int n = in.read(chunk, 0, Math.min(chunk.length, decoder.needed()));
      if (n < 0) {
        throw new EOFException("connection closed in the middle of the request");
      }
      decoder.feed(ByteBuffer.wrap(chunk, 0, n));
    }
    if (decoder.status() == RequestDecoder.Status.REFUSED) {
      throw new IOException(decoder.refusal());
    }
    return decoder.request();
  }

  /** A whole reply made of one error line and the exit code, for a refused request. */
  static byte[] errorReply(String message, int code) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      byte[] line = ("Error: " + message + "\n").getBytes(StandardCharsets.UTF_8);
      writeFrame(out, ERR, line, 0, line.length);
      writeExit(out, code);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen in memory", e);
    }
    return bytes.toByteArray();
  }

  static void writeRequest(DataOutputStream out, List<String> args, List<String> env)
      throws IOException {
    out.write(MAGIC);
    writeStrings(out, args);
    writeStrings(out, env);
    out.flush();
  }

  private static void writeStrings(DataOutputStream out, List<String> strings) throws IOException {
    out.writeInt(strings.size());
    for (String s : strings) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  static void writeFrame(DataOutputStream out, byte type, byte[] payload, int offset, int length)
      throws IOException {
    out.writeByte(type);
    out.writeInt(length);
    out.write(payload, offset, length);
  }

  static void writeExit(DataOutputStream out, int code) throws IOException {
    out.writeByte(EXIT);
    out.writeInt(4);
    out.writeInt(code);
    out.flush();
  }

  /** A decoded reply, for tests and the Java-side client. */
  record Reply(String out, String err, int exitCode) {}

  static Reply readReply(DataInputStream in) throws IOException {
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    while (true) {
      int type;
      try {
        type = in.readByte();
      } catch (EOFException e) {
        throw new IOException("connection closed before the exit code");
      }
      int length = in.readInt();
      byte[] payload = new byte[length];
      in.readFully(payload);
      switch (type) {
        case OUT -> out.append(new String(payload, StandardCharsets.UTF_8));
        case ERR -> err.append(new String(payload, StandardCharsets.UTF_8));
        case EXIT -> {
          int code =
              ((payload[0] & 0xff) << 24)
                  | ((payload[1] & 0xff) << 16)
                  | ((payload[2] & 0xff) << 8)
                  | (payload[3] & 0xff);
          return new Reply(out.toString(), err.toString(), code);
        }
        default -> throw new IOException("unknown frame type " + type);
      }
    }
  }
}
