package org.bulwark.rfs.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.Test;

/**
 * A change's flags on the wire (protocol version 2): the mark of a file with several names ({@link
 * Msg.Op#linked}) goes and comes back with every change that may carry it; a flag not defined, or
 * the mark on a change that is not to one file's data or attributes, is refused as any bad field.
 */
public class MsgCodecTest {

  /** Every change that may go to a lane of its own, hence may carry the mark. */
  private static List<Change> ofOneFile() {
    return List.of(
        new Change.Write(0, "/a", 4096, new byte[] {1, 2, 3}, 77),
        new Change.Truncate(1, "/a", 10, 0),
        new Change.Fallocate(0, "/a", 3, 0, 4096, 0),
        new Change.Chmod(0, "/a", 0640),
        new Change.Chown(0, "/a", 1000, 1000),
        new Change.Times(0, "/a", 1, 2),
        new Change.SetXattr(0, "/a", "user.x", new byte[] {9}, 0),
        new Change.RemoveXattr(0, "/a", "user.x"),
        new Change.KeepXattrs(0, "/a", List.of("user.x", "user.y"), true),
        new Change.Sync(0, "/a", true));
  }

  /** Changes the secondary applies in the stream's order anyway: never marked. */
  private static List<Change> others() {
    return List.of(
        new Change.Create(0, "/a", 0644, 0, 0, false),
        new Change.Mknod(0, "/p", 010644, 0, 0, 0),
        new Change.Mkdir(0, "/d", 0755, 0, 0),
        new Change.Symlink(0, "/s", "a", 0, 0),
        new Change.Unlink(0, "/a"),
        new Change.Rmdir(0, "/d"),
        new Change.RemoveTree(0, "/d"),
        new Change.Rename(0, "/a", "/b", 0),
        new Change.Link(0, "/a", "/b"),
        new Change.Flush(0, "/"),
        new Change.Verify(0, "/a", Change.Verify.DATA, 0, 4096, 5));
  }

  private static byte[] encoded(Msg msg) {
    ByteBuf b = Unpooled.buffer();
    try {
      MsgCodec.encodeWhole(msg, b);
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      return out;
    } finally {
      b.release();
    }
  }

  private static Msg decoded(byte[] frame) throws ProtocolException {
    return MsgCodec.decode(Unpooled.wrappedBuffer(frame));
  }

  @Test
  public void theMarkGoesAndComesBackWithEveryChangeOfOneFile() throws Exception {
    for (Change c : ofOneFile()) {
      for (boolean linked : new boolean[] {false, true}) {
        byte[] sent = encoded(new Msg.Op(42, c, linked));
        Msg.Op back = (Msg.Op) decoded(sent);
        String what = c.getClass().getSimpleName() + " linked=" + linked;
        assertEquals(what, 42, back.seq());
        assertEquals(what, linked, back.linked());
        assertEquals(what, c.getClass(), back.change().getClass());
        assertArrayEquals(what + ": the same bytes again", sent, encoded(back));
        Change.release(back.change());
      }
    }
  }

  @Test
  public void unmarkedChangesOfNamesComeBackUnmarked() throws Exception {
    for (Change c : others()) {
      Msg.Op back = (Msg.Op) decoded(encoded(new Msg.Op(7, c)));
      assertEquals(c.getClass().getSimpleName(), false, back.linked());
      assertEquals(c, back.change());
    }
  }

  private static void refused(String what, byte[] frame, String said) {
    try {
      Msg m = decoded(frame);
      fail(what + ": decoded as " + m);
    } catch (ProtocolException e) {
      assertTrue(what + ": " + e.getMessage(), e.getMessage().contains(said));
    }
  }

  /** An {@code Op} frame's body: the type, the number, {@code flags}, a change. */
  private static byte[] op(int flags, Change c) {
    byte[] whole = encoded(new Msg.Op(1, c));
    whole[9] = (byte) flags; // after the type (1) and the number (8)
    return whole;
  }

  @Test
  public void aFlagNotDefinedIsRefused() {
    for (int flags : new int[] {0x02, 0x03, 0x80, 0xff}) {
      refused(
          "flags 0x" + Integer.toHexString(flags),
          op(flags, new Change.Chmod(0, "/a", 0600)),
          "unknown change flags 0x" + Integer.toHexString(flags));
    }
  }

  @Test
  public void theMarkOnAChangeThatIsNotOfOneFilesDataOrAttributesIsRefused() {
    for (Change c : others()) {
      refused(
          c.getClass().getSimpleName(),
          op(MsgCodec.LINKED, c),
          c.getClass().getSimpleName() + " marked as a change of a file with several names");
    }
  }

  @Test
  public void aChangeWithoutItsFlagsIsTruncated() {
    byte[] frame = {10, 0, 0, 0, 0, 0, 0, 0, 1}; // OP, number 1, nothing more
    refused("the number alone", frame, "truncated message");
  }
}
