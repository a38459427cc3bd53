package org.bulwark.heartbeat.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
 * flags    u8 (1 primIntent, 2 swapRequested, 4 swapping, 8 stopping, 16 resources follow,
 *              32 swapNosync)
 * [resources: u8 count, then count × (name u8 length + UTF-8, value u8 length + UTF-8)]
 * </pre>
 *
 * The resources (spec B.19, {@code remote.} references) are optional: a pulse without them is the
 * same datagram as before they existed; so is one without flag 32, which only a SECOND asking a
 * {@code swap nosync} sets (spec C.10). They are a full set, sorted by name; what does not fit in
 * {@link #MAX_SIZE} is left out (docs/failover.md).
 *
 * <p>Enum ordinals are part of the format: {@link #VERSION} changes if {@code ModuleState} or
 * {@code Readiness} change. Decoding never throws: anything unexpected (magic, version, lengths,
 * unknown values, trailing bytes) is {@link Optional#empty()}, so that a stray packet cannot stop a
 * module.
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
    byte[] resources =
        resources(
            m.resources(), MAX_SIZE - (4 + 1 + 2 + module.length + node.length + 16 + 2 + 25 + 1));
    ByteBuffer b =
        ByteBuffer.allocate(
            4 + 1 + 2 + module.length + node.length + 16 + 2 + 25 + 1 + resources.length);
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
                | (m.stopping() ? 8 : 0)
                | (resources.length > 0 ? 16 : 0)
                | (m.swapNosync() ? 32 : 0)));
    b.put(resources);
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
      Map<String, String> resources = new TreeMap<>();
      if ((flags & 16) != 0) {
        int count = Byte.toUnsignedInt(in.get());
        for (int i = 0; i < count; i++) {
          String name = string(in);
          resources.put(name, string(in));
        }
      }
      if (in.hasRemaining()
          || state >= ModuleState.values().length
          || readiness >= Readiness.values().length
          || dataFlags > 7
          || flags > 63
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
              (flags & 8) != 0,
              (flags & 32) != 0,
              resources));
    } catch (BufferUnderflowException | CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * The resources that fit in {@code budget} bytes, in name order; empty when there are none. A
   * name or value longer than 255 bytes is left out.
   */
  private static byte[] resources(Map<String, String> set, int budget) {
    if (set.isEmpty()) {
      return new byte[0];
    }
    ByteBuffer b = ByteBuffer.allocate(Math.max(1, budget));
    b.put((byte) 0);
    int count = 0;
    for (Map.Entry<String, String> e : new TreeMap<>(set).entrySet()) {
      byte[] n = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
      if (n.length > MAX_NAME || v.length > MAX_NAME || n.length + v.length + 2 > b.remaining()) {
        continue;
      }
      b.put((byte) n.length).put(n).put((byte) v.length).put(v);
      if (++count == 255) {
        break;
      }
    }
    if (count == 0) {
      return new byte[0];
    }
    b.put(0, (byte) count);
    byte[] out = new byte[b.position()];
    b.flip();
    b.get(out);
    return out;
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
