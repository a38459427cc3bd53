package org.bulwark.rfs.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of {@link Msg}: a frame is a 4-byte length, then a type byte and the fields
 * (big-endian integers; strings and byte arrays as a 4-byte length and bytes). Decoding checks
 * every length against the limits below before reading, and the whole frame must be consumed: a
 * frame that is short, long, of an unknown type or with out-of-range fields is a {@link
 * ProtocolException}, never a partially applied message.
 */
final class MsgCodec {
  static final int MAX_DATA = 8 * 1024 * 1024;
  static final int MAX_FRAME = MAX_DATA + 64 * 1024;
  static final int MAX_TEXT = 8192;
  static final int MAX_XATTR = 64 * 1024;
  static final int MAX_LIST = 1 << 16;
  static final int MAX_HOT_ZONES = 1 << 18;
  static final int MAX_DIRS = 64;

  /**
   * Both ends speak the same version or no session starts (the primary refuses another's {@link
   * Msg.Hello}). 2: a change carries its flags ({@link #LINKED}); 3: further connections ({@link
   * Msg.Join}).
   */
  static final int PROTOCOL_VERSION = 3;

  /** A change's flag: of a file with several names ({@link Msg.Op#linked}). No other is defined. */
  static final int LINKED = 1;

  private static final byte HELLO = 1;
  private static final byte WELCOME = 2;
  private static final byte REFUSE = 3;
  private static final byte LISTING = 4;
  private static final byte LISTING_END = 5;
  private static final byte IN_SYNC = 6;
  private static final byte ACK = 7;
  private static final byte PING = 8;
  private static final byte FAILURE = 9;
  private static final byte OP = 10;
  private static final byte LIST_REQUEST = 11;
  private static final byte PROGRESS = 12;
  private static final byte VERIFY_REQUEST = 13;
  private static final byte VERIFY_REPORT = 14;
  private static final byte JOIN = 15;

  /** Connections of a session at most ({@code nbremconn}): the first and 15 more. */
  static final int MAX_CONNECTIONS = 16;

  static final int MAX_REPORT_LINES = 10_000;

  private MsgCodec() {}

  // ---- encoding ----

  static void encode(Msg msg, ByteBuf out) {
    if (msg instanceof Msg.Op op) {
      out.writeByte(OP);
      out.writeLong(op.seq());
      out.writeByte(op.linked() ? LINKED : 0);
      ChangeCodec.encode(op.change(), out);
    } else if (msg instanceof Msg.Ack a) {
      out.writeByte(ACK);
      out.writeLong(a.seq());
      out.writeInt(a.errno());
    } else if (msg instanceof Msg.Hello h) {
      out.writeByte(HELLO);
      out.writeInt(PROTOCOL_VERSION);
      text(out, h.module());
      text(out, h.node());
      out.writeLong(h.incarnation());
      text(out, h.policy());
      out.writeLong(h.syncId());
      out.writeInt(h.dirs().size());
      h.dirs().forEach(d -> text(out, d));
      out.writeInt(h.hotZones().size());
      for (long[] z : h.hotZones()) {
        out.writeLong(z[0]);
        out.writeLong(z[1]);
        out.writeLong(z[2]);
      }
    } else if (msg instanceof Msg.Welcome w) {
      out.writeByte(WELCOME);
      out.writeLong(w.session());
      out.writeBoolean(w.full());
      out.writeLong(w.syncId());
    } else if (msg instanceof Msg.Refuse r) {
      out.writeByte(REFUSE);
      text(out, r.reason());
    } else if (msg instanceof Msg.Listing l) {
      out.writeByte(LISTING);
      out.writeInt(l.entries().size());
      for (Msg.Entry e : l.entries()) {
        out.writeShort(e.dir());
        text(out, e.path());
        out.writeByte(e.type());
        out.writeInt(e.mode());
        out.writeInt(e.uid());
        out.writeInt(e.gid());
        out.writeLong(e.size());
        out.writeLong(e.mtimeNanos());
        out.writeLong(e.ino());
        out.writeLong(e.nlink());
        text(out, e.target());
      }
    } else if (msg instanceof Msg.ListingEnd e) {
      out.writeByte(LISTING_END);
      out.writeLong(e.entries());
    } else if (msg instanceof Msg.VerifyRequest v) {
      out.writeByte(VERIFY_REQUEST);
      out.writeBoolean(v.resend());
    } else if (msg instanceof Msg.VerifyReport r) {
      out.writeByte(VERIFY_REPORT);
      out.writeBoolean(r.same());
      out.writeInt(r.lines().size());
      r.lines().forEach(l -> text(out, l));
    } else if (msg instanceof Msg.Progress p) {
      out.writeByte(PROGRESS);
      out.writeLong(p.filesLeft());
      out.writeLong(p.bytesLeft());
      out.writeLong(p.bytesCopied());
      out.writeLong(p.bytesPerSecond());
      out.writeLong(p.eta());
    } else if (msg instanceof Msg.ListRequest r) {
      out.writeByte(LIST_REQUEST);
      out.writeLong(r.seq());
    } else if (msg instanceof Msg.InSync s) {
      out.writeByte(IN_SYNC);
      out.writeLong(s.seq());
      out.writeLong(s.syncId());
    } else if (msg instanceof Msg.Ping p) {
      out.writeByte(PING);
      out.writeLong(p.nanos());
      out.writeBoolean(p.reply());
    } else if (msg instanceof Msg.Failure f) {
      out.writeByte(FAILURE);
      text(out, f.reason());
    } else if (msg instanceof Msg.Join j) {
      out.writeByte(JOIN);
      out.writeLong(j.session());
      out.writeInt(j.index());
    } else {
      throw new IllegalArgumentException("not encodable: " + msg);
    }
  }

  /**
   * The whole message in {@code out}, a write's data copied after its fields (tests and tools; the
   * channel sends the data buffer itself, {@link Framing}).
   */
  static void encodeWhole(Msg msg, ByteBuf out) {
    encode(msg, out);
    if (msg instanceof Msg.Op op && op.change() instanceof Change.Write w) {
      out.writeBytes(w.data(), w.data().readerIndex(), w.length());
    }
  }

  static void text(ByteBuf out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.writeBytes(b);
  }

  static void bytes(ByteBuf out, byte[] b) {
    out.writeInt(b.length);
    out.writeBytes(b);
  }

  // ---- decoding ----

  /** Decodes one whole frame (without its length prefix). */
  static Msg decode(ByteBuf in) throws ProtocolException {
    try {
      Msg msg = decodeBody(in);
      if (in.isReadable()) {
        throw new ProtocolException(in.readableBytes() + " bytes left after " + kind(msg));
      }
      return msg;
    } catch (IndexOutOfBoundsException e) {
      throw new ProtocolException("truncated message");
    }
  }

  private static String kind(Msg msg) {
    return msg.getClass().getSimpleName();
  }

  private static Msg decodeBody(ByteBuf in) throws ProtocolException {
    byte type = in.readByte();
    switch (type) {
      case OP -> {
        long seq = in.readLong();
        return op(seq, in.readUnsignedByte(), in);
      }
      case ACK -> {
        return new Msg.Ack(in.readLong(), in.readInt());
      }
      case HELLO -> {
        int version = in.readInt();
        if (version != PROTOCOL_VERSION) {
          throw new ProtocolException(
              "protocol version " + version + ", this node speaks " + PROTOCOL_VERSION);
        }
        String module = text(in, MAX_TEXT);
        String node = text(in, MAX_TEXT);
        long incarnation = in.readLong();
        String policy = text(in, MAX_TEXT);
        long syncId = in.readLong();
        int n = count(in, MAX_DIRS, "directories");
        List<String> dirs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          dirs.add(text(in, MAX_TEXT));
        }
        int z = count(in, MAX_HOT_ZONES, "zones");
        List<long[]> zones = new ArrayList<>(z);
        for (int i = 0; i < z; i++) {
          zones.add(new long[] {in.readLong(), in.readLong(), in.readLong()});
        }
        return new Msg.Hello(module, node, incarnation, policy, syncId, dirs, zones);
      }
      case JOIN -> {
        long session = in.readLong();
        int index = in.readInt();
        if (index < 1 || index >= MAX_CONNECTIONS) {
          throw new ProtocolException("connection number " + index + " out of range");
        }
        return new Msg.Join(session, index);
      }
      case WELCOME -> {
        return new Msg.Welcome(in.readLong(), in.readBoolean(), in.readLong());
      }
      case REFUSE -> {
        return new Msg.Refuse(text(in, MAX_TEXT));
      }
      case LISTING -> {
        int n = count(in, MAX_LIST, "entries");
        List<Msg.Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          entries.add(
              new Msg.Entry(
                  in.readUnsignedShort(),
                  text(in, MAX_TEXT),
                  in.readUnsignedByte(),
                  in.readInt(),
                  in.readInt(),
                  in.readInt(),
                  in.readLong(),
                  in.readLong(),
                  in.readLong(),
                  in.readLong(),
                  text(in, MAX_TEXT)));
        }
        return new Msg.Listing(entries);
      }
      case LISTING_END -> {
        return new Msg.ListingEnd(in.readLong());
      }
      case VERIFY_REQUEST -> {
        return new Msg.VerifyRequest(in.readBoolean());
      }
      case VERIFY_REPORT -> {
        boolean same = in.readBoolean();
        int n = count(in, MAX_REPORT_LINES, "report lines");
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          lines.add(text(in, MAX_TEXT));
        }
        return new Msg.VerifyReport(lines, same);
      }
      case PROGRESS -> {
        return new Msg.Progress(
            in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
      }
      case LIST_REQUEST -> {
        return new Msg.ListRequest(in.readLong());
      }
      case IN_SYNC -> {
        return new Msg.InSync(in.readLong(), in.readLong());
      }
      case PING -> {
        return new Msg.Ping(in.readLong(), in.readBoolean());
      }
      case FAILURE -> {
        return new Msg.Failure(text(in, MAX_TEXT));
      }
      default -> throw new ProtocolException("unknown message type " + type);
    }
  }

  /**
   * A change and its flags: a flag not defined, or {@link #LINKED} on a change that is not to one
   * file's data or attributes (which the secondary applies in order anyway), is refused as any bad
   * field.
   */
  private static Msg.Op op(long seq, int flags, ByteBuf in) throws ProtocolException {
    if ((flags & ~LINKED) != 0) {
      throw new ProtocolException("unknown change flags 0x" + Integer.toHexString(flags));
    }
    Change change = ChangeCodec.decode(in);
    boolean linked = flags == LINKED;
    if (linked && !Change.ofOneFile(change)) {
      Change.release(change);
      throw new ProtocolException(
          change.getClass().getSimpleName()
              + " marked as a change of a file with several names: not one file's data or"
              + " attributes");
    }
    return new Msg.Op(seq, change, linked);
  }

  static int count(ByteBuf in, int max, String what) throws ProtocolException {
    int n = in.readInt();
    if (n < 0 || n > max) {
      throw new ProtocolException("bad count of " + what + ": " + n + " (at most " + max + ")");
    }
    return n;
  }

  /** A UTF-8 string of at most {@code max} bytes; malformed UTF-8 is refused, not replaced. */
  static String text(ByteBuf in, int max) throws ProtocolException {
    int n = count(in, max, "text bytes");
    byte[] b = new byte[n];
    in.readBytes(b);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolException("text that is not UTF-8");
    }
  }

  static byte[] bytes(ByteBuf in, int max) throws ProtocolException {
    int n = count(in, max, "bytes");
    byte[] b = new byte[n];
    in.readBytes(b);
    return b;
  }
}
