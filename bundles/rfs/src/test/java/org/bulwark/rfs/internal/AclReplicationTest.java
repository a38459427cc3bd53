package org.bulwark.rfs.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * POSIX ACLs (spec B.7 {@code acl}): with {@code acl="on"} a file's access ACL, a directory's
 * default ACL and what a file created under it inherits are on the secondary as on the primary;
 * with {@code acl="off"} no ACL travels, and the copies keep the same modes.
 */
public class AclReplicationTest {
  private static final String ACCESS = "system.posix_acl_access";
  private static final String DEFAULT = "system.posix_acl_default";
  private static final int NOBODY = 65534;

  /** rw- for the owner and nobody, r-- for the group, mask rw-, r-- for others. */
  private static final byte[] FILE_ACL = acl(6, 6, 4, 6, 4);

  /** rwx for the owner, r-x for nobody, the group, the mask and others. */
  private static final byte[] DIR_ACL = acl(7, 5, 5, 5, 5);

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.253", "127.0.3.254", 0);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @Test
  public void withAclOnTheAclsTravel() throws Exception {
    Path a = start(true);
    Path b = pair.b.get(0);
    pair.barrier();
    pair.assertSameTrees("acl on");
    assertArrayEquals(FILE_ACL, get(b.resolve("f"), ACCESS));
    assertArrayEquals(DIR_ACL, get(b.resolve("d"), DEFAULT));
    byte[] inherited = get(a.resolve("d/g"), ACCESS);
    assertNotNull("the kernel gave the new file the directory's default", inherited);
    assertArrayEquals(inherited, get(b.resolve("d/g"), ACCESS));
  }

  @Test
  public void withAclOffNoAclTravels() throws Exception {
    start(false);
    Path b = pair.b.get(0);
    pair.barrier();
    assertNull(get(b.resolve("f"), ACCESS));
    assertNull(get(b.resolve("d"), DEFAULT));
    assertNull(get(b.resolve("d/g"), ACCESS));
    assertEquals("inherits", Files.readString(b.resolve("d/g")));
    pair.assertSameTrees("acl off: the same modes");
  }

  /** The pair started, then through the primary's mount: f and its ACL, d and its default, d/g. */
  private Path start(boolean acl) throws Exception {
    pair.rfs = TestRfs.withAcl(pair.rfs, acl);
    pair.open();
    pair.start();
    Path a = pair.a.get(0);
    Files.writeString(a.resolve("f"), "x");
    Files.createDirectory(a.resolve("d"));
    set(a.resolve("f"), ACCESS, FILE_ACL);
    set(a.resolve("d"), DEFAULT, DIR_ACL);
    Files.writeString(a.resolve("d/g"), "inherits");
    return a;
  }

  private static void set(Path p, String name, byte[] value) {
    Posix.check("lsetxattr " + name, Posix.C.lsetxattr(p.toString(), name, value, value.length, 0));
  }

  /** The attribute's value, null if the file has none. */
  private static byte[] get(Path p, String name) {
    byte[] buf = new byte[256];
    long n = Posix.C.lgetxattr(p.toString(), name, buf, buf.length);
    return n < 0 ? null : Arrays.copyOf(buf, (int) n);
  }

  /** An ACL in the kernel's form: owner, the user nobody, owning group, mask, others. */
  private static byte[] acl(int owner, int nobody, int group, int mask, int other) {
    ByteBuffer b = ByteBuffer.allocate(4 + 5 * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(2); // POSIX_ACL_XATTR_VERSION
    entry(b, 0x01, owner, -1);
    entry(b, 0x02, nobody, NOBODY);
    entry(b, 0x04, group, -1);
    entry(b, 0x10, mask, -1);
    entry(b, 0x20, other, -1);
    return b.array();
  }

  private static void entry(ByteBuffer b, int tag, int perm, int id) {
    b.putShort((short) tag).putShort((short) perm).putInt(id);
  }
}
