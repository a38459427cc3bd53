package org.bulwark.shell.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire format between the {@code safekit} client and the node, over the local socket {@code
 * SAFEVAR/run/safeadmin.sock}.
 *
 * <p>Request: the magic {@code BWK1}, then a count and that many strings (the arguments), then a
 * count and that many {@code NAME=value} strings (the caller's environment that matters). A string
 * is a 4-byte big-endian length and UTF-8 bytes.
 *
 * <p>Reply: frames of one type byte, a 4-byte length and a payload: {@code O} bytes for standard
 * output, {@code E} for standard error, {@code X} a 4-byte exit code that ends the reply.
 */
final class Frames {
  static final byte[] MAGIC = {'B', 'W', 'K', '1'};
  static final byte OUT = 'O';
  static final byte ERR = 'E';
  static final byte EXIT = 'X';

  /** Bounds what one request may carry, so that a broken client cannot exhaust the heap. */
  static final int MAX_STRING = 1 << 20;

  static final int MAX_STRINGS = 4096;

  private Frames() {}

  /** A decoded request. */
  record Request(List<String> args, List<String> environment) {}

  static Request readRequest(DataInputStream in) throws IOException {
    byte[] magic = new byte[MAGIC.length];
    in.readFully(magic);
    for (int i = 0; i < MAGIC.length; i++) {
      if (magic[i] != MAGIC[i]) {
        throw new IOException("not a safekit client (bad magic)");
      }
    }
    return new Request(readStrings(in), readStrings(in));
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > MAX_STRINGS) {
      throw new IOException("too many strings: " + count);
    }
    List<String> strings = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = in.readInt();
      if (length < 0 || length > MAX_STRING) {
        throw new IOException("string too long: " + length);
      }
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      strings.add(new String(bytes, StandardCharsets.UTF_8));
    }
    return strings;
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
