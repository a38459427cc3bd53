package org.bulwark.deployer.internal;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.Rule;
import org.junit.Test;

/** A node killed in the middle of a module operation comes back clean. */
public class RecoveryTest {

  @Rule public final Fixture fx = new Fixture();

  @Test
  public void leftoversAreRemovedAndASetAsideVersionComesBack() throws Exception {
    fx.deployer.install("a", Optional.of(fx.safe("a", Fixture.FARM)), OptionalInt.empty(), false);
    fx.deployer.install("b", Optional.of(fx.safe("b", Fixture.FARM)), OptionalInt.empty(), false);
    fx.deployer.config("b");
    Path modules = fx.dirs.modules();
    String uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    // killed between the two renames of a swap: a is set aside, its replacement not yet in place
    Files.move(modules.resolve("a"), modules.resolve(".a.old." + uuid));
    Files.createDirectories(modules.resolve(".a.install." + uuid).resolve("conf"));
    // killed after a swap of b, before the old copy was deleted
    Files.createDirectories(modules.resolve(".b.old." + uuid).resolve("conf"));
    Path applied = fx.dirs.userConf("b").getParent();
    Files.createDirectories(applied.resolveSibling(".b.config." + uuid));
    Files.createDirectories(modules.resolve(".keep.me"));

    fx.deployer.recover();

    assertEquals(List.of(".keep.me", "a", "b", "lastconfig"), top(modules));
    assertEquals(Fixture.FARM, Files.readString(modules.resolve("a/conf/userconfig.xml")));
    assertEquals(List.of("b"), top(applied.getParent()));
  }

  private static List<String> top(Path dir) throws Exception {
    return Fixture.tree(dir).stream().filter(p -> !p.isEmpty() && !p.contains("/")).toList();
  }
}
