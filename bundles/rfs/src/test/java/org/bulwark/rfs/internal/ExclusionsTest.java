package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bulwark.api.config.Rfs;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * {@code <notreplicated>} (spec B.7): a path leaves out a file or subtree, a regular expression the
 * files it matches, {@code !} keeps only those; what is left out is neither copied, nor changed,
 * nor deleted on the secondary; a rename across the boundary is what it amounts to there.
 */
public class ExclusionsTest {
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @Test
  public void rulesMatchPathsAndFiles() {
    Exclusions x =
        new Exclusions(
            List.of(
                new Rfs.NotReplicated(false, "tmp"),
                new Rfs.NotReplicated(false, "/cache/"),
                new Rfs.NotReplicated(true, "\\.log$")));
    assertTrue(x.excludes("/tmp", true));
    assertTrue(x.excludes("/tmp/a/b", false));
    assertFalse(x.excludes("/tmpfile", false));
    assertTrue(x.excludes("/cache", true));
    assertTrue(x.excludes("/data/app.log", false));
    assertFalse(x.excludes("/data/app.log", true)); // directories are always walked
    assertFalse(x.excludes("/data/app.txt", false));

    Exclusions only = new Exclusions(List.of(new Rfs.NotReplicated(true, "!\\.db$")));
    assertFalse(only.excludes("/x/base.db", false));
    assertTrue(only.excludes("/x/notes.txt", false));
    assertFalse(only.excludes("/x", true));
  }

  @Test
  public void excludedFilesStayOnTheirNodeAndRenamesAcrossAreReplicatedAsWhatTheyAmountTo()
      throws Exception {
    List<Rfs.NotReplicated> rules =
        List.of(new Rfs.NotReplicated(false, "tmp"), new Rfs.NotReplicated(true, "\\.log$"));
    pair.rfs =
        TestRfs.withReplicated(
            TestRfs.of(List.of("/srv/app/d0"), Rfs.Async.NONE),
            List.of(new Rfs.Replicated("/srv/app/d0", false, List.of(), rules)));
    Path a = pair.a.get(0);
    Path b = pair.b.get(0);
    Files.createDirectories(a.resolve("tmp"));
    Files.writeString(a.resolve("tmp/scratch"), "primary only");
    Files.writeString(a.resolve("kept.txt"), "replicated");
    Files.createDirectories(b.resolve("tmp"));
    Files.writeString(b.resolve("tmp/local"), "secondary's own, left alone");
    Files.writeString(b.resolve("old.log"), "secondary's own log, left alone");
    pair.open();
    pair.start();

    assertEquals("replicated", Files.readString(b.resolve("kept.txt")));
    assertFalse(Files.exists(b.resolve("tmp/scratch")));
    assertEquals("secondary's own, left alone", Files.readString(b.resolve("tmp/local")));
    assertTrue(Files.exists(b.resolve("old.log")));

    Files.writeString(a.resolve("app.log"), "not replicated");
    Files.writeString(a.resolve("tmp/more"), "not replicated");
    assertFalse(Files.exists(b.resolve("app.log")));
    assertFalse(Files.exists(b.resolve("tmp/more")));

    Files.move(a.resolve("kept.txt"), a.resolve("tmp/kept.txt")); // out of the replicated set
    assertFalse(Files.exists(b.resolve("kept.txt")));
    Files.move(a.resolve("tmp/scratch"), a.resolve("scratch")); // into it
    assertEquals("primary only", Files.readString(b.resolve("scratch")));
    Files.createDirectories(a.resolve("tmp/tree/sub"));
    Files.writeString(a.resolve("tmp/tree/sub/f"), "deep");
    Files.move(a.resolve("tmp/tree"), a.resolve("tree")); // a whole tree into it
    assertEquals("deep", Files.readString(b.resolve("tree/sub/f")));
  }
}
