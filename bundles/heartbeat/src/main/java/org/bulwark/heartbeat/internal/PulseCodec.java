package org.bulwark.heartbeat.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.TreeMap;
import org.bulwark.api.farm.FarmView;
import org.bulwark.automaton.farm.Pulse;
import org.bulwark.automaton.farm.Role;

/**
 * The wire format of one farm membership pulse: a datagram of at most {@link #MAX_SIZE} bytes,
 * big-endian.
 *
 * <pre>
 * magic       u32  0x4257464D ("BWFM")
 * version     u8   1
 * module      u8 length + UTF-8
 * node        u8 length + UTF-8
 * incarnation i64, seq i64
 * role        u8 (Role ordinal)
 * view id     i64
 * leader      u8 length + UTF-8 (empty for no view)
 * members     u16 count, then per member: u8 length + UTF-8 name, i64 incarnation
 * </pre>
 *
 * The version also stands for the bucket allocation ({@code BucketTable}): nodes that would
 * allocate differently must not understand each other. Decoding never throws: a wrong magic or
 * version, a truncated or over-long packet, trailing bytes, an unknown role, an empty name, members
 * out of order or repeated, a leader missing from its own view: {@link Optional#empty()}.
 */
final class PulseCodec {
  static final int MAGIC = 0x4257464D;
  static final byte VERSION = 1;
  static final int MAX_SIZE = 16 * 1024;
  static final int MAX_MEMBERS = 1024;
  private static final int MAX_NAME = 255;

  private PulseCodec() {}

  static byte[] encode(Pulse p) {
    FarmView v = p.view();
    ByteBuffer b = ByteBuffer.allocate(MAX_SIZE);
    b.putInt(MAGIC).put(VERSION);
    name(b, p.module());
    name(b, p.node());
    b.putLong(p.incarnation()).putLong(p.seq());
    b.put((byte) p.role().ordinal());
    b.putLong(v.id());
    name(b, v.leader());
    if (v.members().size() > MAX_MEMBERS) {
      throw new IllegalArgumentException("more than " + MAX_MEMBERS + " members");
    }
    b.putShort((short) v.members().size());
    v.members()
        .forEach(
            (node, incarnation) -> {
              name(b, node);
              b.putLong(incarnation);
            });
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  static Optional<Pulse> decode(ByteBuffer in) {
    try {
      if (in.remaining() > MAX_SIZE || in.getInt() != MAGIC || in.get() != VERSION) {
        return Optional.empty();
      }
      String module = string(in);
      String node = string(in);
      long incarnation = in.getLong();
      long seq = in.getLong();
      int role = Byte.toUnsignedInt(in.get());
      long viewId = in.getLong();
      String leader = string(in);
      int count = Short.toUnsignedInt(in.getShort());
      if (module.isEmpty()
          || node.isEmpty()
          || role >= Role.values().length
          || count > MAX_MEMBERS) {
        return Optional.empty();
      }
      TreeMap<String, Long> members = new TreeMap<>();
      String previous = null;
      for (int i = 0; i < count; i++) {
        String m = string(in);
        long inc = in.getLong();
        if (m.isEmpty() || (previous != null && m.compareTo(previous) <= 0)) {
          return Optional.empty();
        }
        members.put(m, inc);
        previous = m;
      }
      if (in.hasRemaining()
          || members.isEmpty() != leader.isEmpty()
          || (!leader.isEmpty() && !members.containsKey(leader))) {
        return Optional.empty();
      }
      return Optional.of(
          new Pulse(
              module,
              node,
              incarnation,
              seq,
              Role.values()[role],
              new FarmView(viewId, leader, members)));
    } catch (BufferUnderflowException | CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static void name(ByteBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_NAME) {
      throw new IllegalArgumentException("name longer than " + MAX_NAME + " bytes: " + s);
    }
    b.put((byte) bytes.length).put(bytes);
  }

  private static String string(ByteBuffer in) throws CharacterCodingException {
    int length = Byte.toUnsignedInt(in.get());
    if (in.remaining() < length) {
      throw new BufferUnderflowException();
    }
    ByteBuffer slice = in.slice();
    slice.limit(length);
    in.position(in.position() + length);
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(slice)
        .toString();
  }
}
