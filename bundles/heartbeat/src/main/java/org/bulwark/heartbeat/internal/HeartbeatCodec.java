package org.bulwark.heartbeat.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.DataFreshness;
import org.bulwark.automaton.HeartbeatMessage;

/**
 * The wire format of one heartbeat: a datagram of at most {@link #MAX_SIZE} bytes, big-endian.
 *
 * <pre>
 * magic    u32  0x42574842 ("BWHB")
 * version  u8   1
 * module   u8 length + UTF-8
 * node     u8 length + UTF-8
 * incarnation i64, seq i64
 * state    u8 (ModuleState ordinal), readiness u8 (Readiness ordinal)
 * data     u8 flags (1 uptodate, 2 wasPrimary, 4 consistent), generation i64, lastSync i64,
 *          tenure i64
 * flags    u8 (1 primIntent, 2 swapRequested, 4 swapping, 8 stopping)
 * </pre>
 *
 * Enum ordinals are part of the format: {@link #VERSION} changes if {@code ModuleState} or {@code
 * Readiness} change. Decoding never throws: anything unexpected (magic, version, lengths, unknown
 * values, trailing bytes) is {@link Optional#empty()}, so that a stray packet cannot stop a module.
 */
final class HeartbeatCodec {
  static final int MAGIC = 0x42574842;
  static final byte VERSION = 1;
  static final int MAX_SIZE = 1024;
  private static final int MAX_NAME = 255;

  private HeartbeatCodec() {}

  static byte[] encode(HeartbeatMessage m) {
    byte[] module = name(m.module());
    byte[] node = name(m.node());
    ByteBuffer b = ByteBuffer.allocate(4 + 1 + 2 + module.length + node.length + 16 + 2 + 25 + 1);
    b.putInt(MAGIC).put(VERSION);
    b.put((byte) module.length).put(module);
    b.put((byte) node.length).put(node);
    b.putLong(m.incarnation()).putLong(m.seq());
    b.put((byte) m.state().state().ordinal()).put((byte) m.state().readiness().ordinal());
    DataFreshness d = m.data();
    b.put((byte) ((d.uptodate() ? 1 : 0) | (d.wasPrimary() ? 2 : 0) | (d.consistent() ? 4 : 0)));
    b.putLong(d.generation()).putLong(d.lastSyncMillis()).putLong(d.tenure());
    b.put(
        (byte)
            ((m.primIntent() ? 1 : 0)
                | (m.swapRequested() ? 2 : 0)
                | (m.swapping() ? 4 : 0)
                | (m.stopping() ? 8 : 0)));
    return b.array();
  }

  static Optional<HeartbeatMessage> decode(ByteBuffer in) {
    try {
      if (in.remaining() > MAX_SIZE || in.getInt() != MAGIC || in.get() != VERSION) {
        return Optional.empty();
      }
      String module = string(in);
      String node = string(in);
      long incarnation = in.getLong();
      long seq = in.getLong();
      int state = Byte.toUnsignedInt(in.get());
      int readiness = Byte.toUnsignedInt(in.get());
      int dataFlags = Byte.toUnsignedInt(in.get());
      long generation = in.getLong();
      long lastSync = in.getLong();
      long tenure = in.getLong();
      int flags = Byte.toUnsignedInt(in.get());
      if (in.hasRemaining()
          || state >= ModuleState.values().length
          || readiness >= Readiness.values().length
          || dataFlags > 7
          || flags > 15
          || module.isEmpty()
          || node.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          new HeartbeatMessage(
              module,
              node,
              incarnation,
              seq,
              LocalState.of(ModuleState.values()[state], Readiness.values()[readiness]),
              new DataFreshness(
                  (dataFlags & 1) != 0,
                  generation,
                  (dataFlags & 2) != 0,
                  (dataFlags & 4) != 0,
                  lastSync,
                  tenure),
              (flags & 1) != 0,
              (flags & 2) != 0,
              (flags & 4) != 0,
              (flags & 8) != 0));
    } catch (BufferUnderflowException | CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static byte[] name(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_NAME) {
      throw new IllegalArgumentException("name longer than " + MAX_NAME + " bytes: " + s);
    }
    return bytes;
  }

  private static String string(ByteBuffer in) throws CharacterCodingException {
    int length = Byte.toUnsignedInt(in.get());
    ByteBuffer slice = in.slice();
    slice.limit(Math.min(length, slice.remaining()));
    if (slice.remaining() < length) {
      throw new BufferUnderflowException();
    }
    in.position(in.position() + length);
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(slice)
        .toString();
  }
}
