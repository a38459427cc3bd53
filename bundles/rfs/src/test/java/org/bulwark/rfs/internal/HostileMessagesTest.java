package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * Hostile replication messages (spec B.7, C.4; issue: "a malformed, out-of-order, replayed or
 * path-escaping message is refused, logged and counted, and never touches a file outside the
 * replicated directory"). A forged secondary connects to a real primary, and a real secondary
 * connects to a forged primary; each sends frames that are malformed, out of place, out of order,
 * replayed, absurdly long, or changes whose paths leave the replicated directory — by {@code ..},
 * through symbolic links planted in the secondary's tree — and the real end must end the session,
 * say why in its log, count what it refused, and leave every file outside its directory (a sentinel
 * directory next to it, {@code /etc/passwd}) and its own tree as they were.
 */
public class HostileMessagesTest {
  private static final long DEADLINE = 10_000;

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);

  /** Neither node of the pair. */
  private static final String STRANGER = Pair.loopback(2, "127.0.0.43");

  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  private Path sentinelDir;
  private Sentinel sentinel;
  private Sentinel passwd;

  @Before
  public void sentinel() throws Exception {
    sentinelDir = tmp.newFolder("sentinel").toPath();
    Files.writeString(sentinelDir.resolve("secret"), "top secret\n");
    Files.createDirectories(sentinelDir.resolve("sub"));
    Files.writeString(sentinelDir.resolve("sub/deep"), "deep\n");
    sentinel = new Sentinel(sentinelDir);
    passwd = new Sentinel(Path.of("/etc/passwd"));
  }

  private void assertNothingOutsideChanged(String after) throws Exception {
    sentinel.assertUnchanged(after);
    passwd.assertUnchanged(after);
  }

  // ---- a forged secondary against the real primary ----

  private InetSocketAddress primary() {
    return new InetSocketAddress(pair.address1(), pair.port);
  }

  private InetAddress peer() throws Exception {
    return InetAddress.getByName(pair.address2());
  }

  private Msg.Hello hello() {
    return new Msg.Hello("mirror", "node2", 0, "", 0, List.of("/srv/app/d0"), List.of());
  }

  /** One forged session: {@code frames} sent, then the primary must close, refuse, and log. */
  private void primaryRefuses(String what, boolean welcomed, String logged, byte[]... frames)
      throws Exception {
    primaryEnds(what, welcomed, logged, 1, frames);
  }

  private void primaryEnds(
      String what, boolean welcomed, String logged, int counted, byte[]... frames)
      throws Exception {
    long before = pair.node1.status().refused();
    pair.one.clear();
    try (RawFrames c = RawFrames.connect(peer(), primary())) {
      if (welcomed) {
        c.send(RawFrames.frame(hello()));
        Msg w = c.readSkippingPings(DEADLINE);
        assertTrue(what + ": welcomed, not " + w, w instanceof Msg.Welcome);
      }
      c.send(frames);
      assertTrue(what + ": the primary ends the session", c.closedWithin(DEADLINE));
    }
    String line = pair.one.await(e -> e.contains(logged), DEADLINE);
    long refused = pair.node1.status().refused() - before;
    System.out.println("HostileMessagesTest primary: " + what + ": " + line + " (" + refused + ")");
    assertTrue(what + ": counted " + refused, refused >= counted);
    assertNothingOutsideChanged(what);
  }

  @Test
  public void thePrimaryRefusesAForgedSecondary() throws Exception {
    Path a = pair.a.get(0);
    Files.writeString(a.resolve("data"), "the primary's");
    pair.open();
    pair.node1.startPrimary(false);
    Sentinel tree = new Sentinel(a);
    String refused = "Replication message refused: ";

    // not the peer: refused at connection
    long before = pair.node1.status().refused();
    try (RawFrames c = RawFrames.connect(InetAddress.getByName(STRANGER), primary())) {
      c.send(RawFrames.frame(hello()));
      assertTrue("a stranger is cut off", c.closedWithin(DEADLINE));
    }
    pair.one.await(
        e -> e.contains("Replication connection from " + STRANGER + " refused"), DEADLINE);
    assertEquals(before + 1, pair.node1.status().refused());

    // malformed
    primaryRefuses("unknown type", false, refused, RawFrames.frame(b -> b.writeByte(99)));
    primaryRefuses(
        "truncated ack", false, refused, RawFrames.frame(b -> b.writeByte(7).writeShort(1)));
    primaryRefuses(
        "bytes after an ack",
        false,
        refused,
        RawFrames.frame(b -> b.writeByte(7).writeLong(1).writeInt(0).writeInt(42)));
    primaryRefuses(
        "a frame of 2 GiB", false, refused, new byte[] {0x7f, (byte) 0xff, (byte) 0xff, 0x7f});
    primaryRefuses(
        "another protocol version",
        false,
        refused,
        RawFrames.frame(b -> b.writeByte(1).writeInt(99)));
    primaryEnds(
        "a secondary of the previous protocol version",
        false,
        "protocol version " + (MsgCodec.PROTOCOL_VERSION - 1) + ", this node speaks",
        1,
        RawFrames.frame(
            b -> {
              MsgCodec.encode(hello(), b);
              b.setInt(5, MsgCodec.PROTOCOL_VERSION - 1); // after the length and the type
            }));
    primaryRefuses(
        "a module name of 2 GiB",
        false,
        refused,
        RawFrames.frame(
            b -> b.writeByte(1).writeInt(MsgCodec.PROTOCOL_VERSION).writeInt(Integer.MAX_VALUE)));
    primaryRefuses(
        "a module name that is not UTF-8",
        false,
        refused,
        RawFrames.frame(
            b ->
                b.writeByte(1)
                    .writeInt(MsgCodec.PROTOCOL_VERSION)
                    .writeInt(2)
                    .writeByte(0xc3)
                    .writeByte(0x28)));
    primaryRefuses(
        "a listing of a billion entries",
        true,
        refused,
        RawFrames.frame(b -> b.writeByte(4).writeInt(1 << 30)));

    // out of place
    primaryRefuses(
        "an acknowledgement before hello", false, refused, RawFrames.frame(new Msg.Ack(1, 0)));
    primaryRefuses(
        "a listing before hello", false, refused, RawFrames.frame(new Msg.ListingEnd(0)));
    primaryRefuses("hello twice", true, refused, RawFrames.frame(hello()));
    primaryRefuses(
        "a further connection of no session",
        false,
        "which is not the current one",
        RawFrames.frame(new Msg.Join(424242, 1)));
    primaryRefuses("a join after hello", true, refused, RawFrames.frame(new Msg.Join(1, 1)));
    primaryRefuses(
        "a join numbered 0",
        false,
        "connection number 0 out of range",
        RawFrames.frame(b -> b.writeByte(15).writeLong(1).writeInt(0)));
    primaryRefuses(
        "a change from the secondary",
        true,
        refused,
        RawFrames.frame(new Msg.Op(1, new Change.Unlink(0, "/data"))));
    primaryEnds(
        "another module",
        false,
        "Secondary refused: module other",
        0,
        RawFrames.frame(
            new Msg.Hello("other", "node2", 0, "", 0, List.of("/srv/app/d0"), List.of())));

    tree.assertUnchanged("the forged secondaries");
    // the real secondary is served as before
    pair.one.clear();
    pair.node2.startSecondary("");
    assertEquals("reintegrated true", pair.two.await(e -> e.startsWith("reintegrated "), 60_000));
    assertEquals("the primary's", Files.readString(pair.b.get(0).resolve("data")));
  }

  // ---- a forged primary against the real secondary ----

  private Sentinel secondaryTree;

  /** The secondary's tree, with links planted in it that lead out of it. */
  private void plantLinks() throws Exception {
    Path b = pair.b.get(0);
    Files.writeString(b.resolve("keep"), "the secondary's");
    Files.createSymbolicLink(b.resolve("escape"), sentinelDir); // absolute
    Files.createSymbolicLink(b.resolve("rel"), Path.of("../../sentinel")); // relative
    Files.createDirectories(b.resolve("sub"));
    Files.createSymbolicLink(b.resolve("sub/up"), Path.of("../../../sentinel/sub"));
    secondaryTree = new Sentinel(b);
  }

  /**
   * The secondary connects to the forged primary, is welcomed, lists its tree; then {@code frames}
   * are sent: the secondary must close, and {@code logged} appear in its log. Returns how many
   * messages it counted as refused.
   */
  private long secondaryEnds(String what, String logged, byte[]... frames) throws Exception {
    pair.two.clear();
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(pair.address1(), pair.port));
      pair.node2.startSecondary("");
      try (RawFrames c = RawFrames.accept(server, DEADLINE)) {
        assertTrue(c.readSkippingPings(DEADLINE) instanceof Msg.Hello);
        c.send(RawFrames.frame(new Msg.Welcome(1, false, 0)));
        Msg m;
        do {
          m = c.readSkippingPings(DEADLINE);
          assertNotNull(what + ": the listing", m);
        } while (!(m instanceof Msg.ListingEnd));
        c.send(frames);
        assertTrue(what + ": the secondary ends the session", c.closedWithin(DEADLINE));
      }
      String line = pair.two.await(e -> e.contains(logged), DEADLINE);
      pair.two.await(e -> e.startsWith("lost "), DEADLINE);
      long refused = pair.node2.status().refused();
      pair.node2.stopSecondary(Duration.ofSeconds(5));
      System.out.println(
          "HostileMessagesTest secondary: " + what + ": " + line + " (" + refused + ")");
      assertNothingOutsideChanged(what);
      secondaryTree.assertUnchanged(what);
      return refused;
    }
  }

  private static byte[] op(long seq, Change c) {
    return RawFrames.frame(new Msg.Op(seq, c));
  }

  /** A change whose first fields (kind, directory, path) are written by {@code head}. */
  private static byte[] rawOp(long seq, Consumer<ByteBuf> head) {
    return RawFrames.op(seq, head);
  }

  private static byte[][] frames(byte[]... frames) {
    return frames;
  }

  private static void text(ByteBuf b, String s) {
    byte[] t = s.getBytes(StandardCharsets.UTF_8);
    b.writeInt(t.length).writeBytes(t);
  }

  @Test
  public void theSecondaryRefusesMalformedOutOfOrderAndReplayedMessages() throws Exception {
    plantLinks();
    pair.open();
    String refused = "Replication message refused: ";
    Map<String, byte[][]> cases = new LinkedHashMap<>();
    cases.put("unknown type", frames(RawFrames.frame(b -> b.writeByte(99))));
    cases.put("a frame of 2 GiB", frames(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, 0x7f}));
    cases.put(
        "unknown change kind",
        frames(
            rawOp(
                1,
                b -> {
                  b.writeByte(99).writeShort(0);
                  text(b, "/keep");
                })));
    cases.put(
        "a negative offset",
        frames(
            rawOp(
                1,
                b -> {
                  b.writeByte(1).writeShort(0);
                  text(b, "/keep");
                  b.writeLong(-5).writeInt(1).writeByte('x').writeLong(0);
                })));
    cases.put(
        "a path of 2 GiB",
        frames(rawOp(1, b -> b.writeByte(8).writeShort(0).writeInt(Integer.MAX_VALUE))));
    cases.put(
        "data of 2 GiB",
        frames(
            rawOp(
                1,
                b -> {
                  b.writeByte(1).writeShort(0);
                  text(b, "/keep");
                  b.writeLong(0).writeInt(Integer.MAX_VALUE);
                })));
    cases.put(
        "a path that is not UTF-8",
        frames(
            rawOp(1, b -> b.writeByte(8).writeShort(0).writeInt(2).writeByte(0xff).writeByte(0))));
    cases.put(
        "bytes after a change",
        frames(
            rawOp(
                1,
                b -> {
                  b.writeByte(8).writeShort(0);
                  text(b, "/keep");
                  b.writeLong(7);
                })));
    cases.put(
        "a change flag not defined",
        frames(
            RawFrames.op(
                1,
                0x02,
                b -> {
                  b.writeByte(13).writeShort(0); // CHMOD
                  text(b, "/keep");
                  b.writeInt(0600);
                })));
    cases.put(
        "a change of names marked as of a file with several names",
        frames(RawFrames.frame(new Msg.Op(1, new Change.Unlink(0, "/keep"), true))));
    cases.put("a directory index out of range", frames(op(1, new Change.Unlink(5, "/keep"))));
    cases.put(
        "a directory index beyond any",
        frames(
            rawOp(
                1,
                b -> {
                  b.writeByte(8).writeShort(0xffff);
                  text(b, "/keep");
                })));
    Change sync = new Change.Sync(0, "/", false);
    cases.put("a change numbered 0", frames(op(0, sync)));
    cases.put("a change skipped", frames(op(2, sync)));
    cases.put("a change replayed", frames(op(1, sync), op(1, new Change.Unlink(0, "/keep"))));
    cases.put(
        "changes out of order",
        frames(op(1, sync), op(3, new Change.Unlink(0, "/keep")), op(2, sync)));
    cases.put("a second welcome", frames(RawFrames.frame(new Msg.Welcome(2, true, 0))));
    cases.put("a listing from the primary", frames(RawFrames.frame(new Msg.ListingEnd(0))));
    cases.put("an acknowledgement from the primary", frames(RawFrames.frame(new Msg.Ack(1, 0))));
    for (Map.Entry<String, byte[][]> c : cases.entrySet()) {
      long counted = secondaryEnds(c.getKey(), refused, c.getValue());
      assertEquals(c.getKey() + ": refused and counted once", 1, counted);
    }
  }

  /**
   * Changes whose paths lead out of the secondary's directory, or absurd ones inside it: the
   * session ends, the log says why, and nothing outside (nor inside) changes.
   */
  @Test
  public void theSecondaryNeverLeavesItsDirectory() throws Exception {
    plantLinks();
    pair.open();
    String sentinel = sentinelDir.toString();
    Map<String, Change> cases = new LinkedHashMap<>();
    cases.put("create ../x", new Change.Create(0, "../x", 0644, 0, 0, false));
    cases.put(
        "create /../../sentinel/planted",
        new Change.Create(0, "/../../sentinel/planted", 0644, 0, 0, false));
    cases.put(
        "create with an absolute path",
        new Change.Create(0, sentinel + "/planted", 0644, 0, 0, false));
    cases.put("write /etc/passwd", new Change.Write(0, "/etc/passwd", 0, new byte[] {'x'}, 0));
    cases.put("truncate through an absolute link", new Change.Truncate(0, "/escape/secret", 0, 0));
    cases.put(
        "write through a relative link",
        new Change.Write(0, "/rel/secret", 0, new byte[] {'x'}, 0));
    cases.put(
        "create in a linked directory", new Change.Create(0, "/sub/up/new", 0644, 0, 0, false));
    cases.put("mkdir through a link", new Change.Mkdir(0, "/escape/dir", 0755, 0, 0));
    cases.put("unlink through a link", new Change.Unlink(0, "/escape/secret"));
    cases.put("remove a tree through a link", new Change.RemoveTree(0, "/rel/sub"));
    cases.put("rename out", new Change.Rename(0, "/keep", "../../sentinel/stolen", 0));
    cases.put("rename in from outside", new Change.Rename(0, "/escape/secret", "/mine", 0));
    cases.put("hard link to an outside file", new Change.Link(0, "/escape/secret", "/stolen"));
    cases.put("chmod through a link", new Change.Chmod(0, "/escape/secret", 0777));
    cases.put("chown through a link", new Change.Chown(0, "/rel/secret", 1000, 1000));
    cases.put("times through a link", new Change.Times(0, "/escape/secret", 0, 0));
    cases.put(
        "xattr through a link",
        new Change.SetXattr(0, "/escape/secret", "user.x", new byte[] {1}, 0));
    cases.put("a path with a NUL", new Change.Create(0, "/keep\0/../../x", 0644, 0, 0, false));
    cases.put("a write 4 EiB out", new Change.Write(0, "/keep", 1L << 62, new byte[] {'x'}, 0));
    cases.put("a truncate to 4 EiB", new Change.Truncate(0, "/keep", 1L << 62, 0));
    for (Map.Entry<String, Change> c : cases.entrySet()) {
      secondaryEnds(c.getKey(), "Replication", op(1, c.getValue()));
    }
  }
}
