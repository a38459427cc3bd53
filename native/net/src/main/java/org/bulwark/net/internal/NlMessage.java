package org.bulwark.net.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A netlink request being built: {@code struct nlmsghdr}, a fixed family header, then attributes
 * ({@code struct rtattr}/{@code nlattr}, 4-byte aligned). Host byte order, as netlink wants.
 */
final class NlMessage {
  static final int HEADER = 16;
  static final int NLM_F_REQUEST = 0x1;
  static final int NLM_F_ACK = 0x4;
  static final int NLM_F_DUMP = 0x300;
  static final int NLM_F_EXCL = 0x200;
  static final int NLM_F_CREATE = 0x400;

  private final ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());

  NlMessage(int type, int flags) {
    buf.putInt(0); // length, set by bytes()
    buf.putShort((short) type);
    buf.putShort((short) flags);
    buf.putInt(0); // sequence, set by the socket
    buf.putInt(0); // port id: the kernel fills it
  }

  NlMessage u8(int v) {
    buf.put((byte) v);
    return this;
  }

  NlMessage u16(int v) {
    buf.putShort((short) v);
    return this;
  }

  /** A 16-bit value in network order (ports in {@code inet_diag_sockid}). */
  NlMessage be16(int v) {
    buf.put((byte) (v >>> 8)).put((byte) v);
    return this;
  }

  NlMessage u32(int v) {
    buf.putInt(v);
    return this;
  }

  NlMessage raw(byte[] b) {
    buf.put(b);
    return this;
  }

  /** An attribute with a raw payload, padded to 4 bytes. */
  NlMessage attr(int type, byte[] payload) {
    buf.putShort((short) (4 + payload.length));
    buf.putShort((short) type);
    buf.put(payload);
    pad();
    return this;
  }

  NlMessage attrU32(int type, int v) {
    return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
  }

  /** A NUL-terminated string attribute. */
  NlMessage attrString(int type, String s) {
    byte[] b = Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), s.length() + 1);
    return attr(type, b);
  }

  private void pad() {
    while (buf.position() % 4 != 0) {
      buf.put((byte) 0);
    }
  }

  /** The message with its length and sequence number. */
  byte[] bytes(int seq) {
    pad();
    byte[] out = Arrays.copyOf(buf.array(), buf.position());
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
    b.putInt(0, out.length);
    b.putInt(8, seq);
    return out;
  }
}
