package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.bulwark.api.fs.FileType;
import org.junit.Test;

/** The order of a pass's steps over several streams ({@link PassOrder}). */
public class PassOrderTest {
  private static Msg.Entry file(String path, long size) {
    return new Msg.Entry(0, path, FileType.REGULAR.ordinal(), 0644, 0, 0, size, 1, size, 1, "");
  }

  private static Plan.Step create(String path) {
    return new Plan.Send(new Change.Create(0, path, 0644, 0, 0, false));
  }

  private static Plan.Step copy(String path) {
    return new Plan.Copy(0, path, null, true);
  }

  @Test
  public void namesFirstThenEachNewFileWithItsCopyLargestFirstThenLinksThenDirectories() {
    Plan.Step mkdir = new Plan.Send(new Change.Mkdir(0, "/d", 0755, 0, 0));
    Plan.Step unlink = new Plan.Send(new Change.Unlink(0, "/gone"));
    Plan.Step createSmall = create("/d/small");
    Plan.Step copySmall = copy("/d/small");
    Plan.Step link = new Plan.Send(new Change.Link(0, "/d/other", "/d/small"));
    Plan.Step createEmpty = create("/d/empty"); // no copy follows: created with the links
    Plan.Step copyLarge = copy("/large");
    Plan.Step attrs = new Plan.Attrs(0, "/large", FileType.REGULAR);
    Plan.Step dirAttrs = new Plan.Attrs(0, "/d", FileType.DIRECTORY);
    List<Plan.Step> steps =
        List.of(
            mkdir, createSmall, copySmall, unlink, link, createEmpty, dirAttrs, copyLarge, attrs);
    PassOrder order = PassOrder.of(steps, List.of(file("/d/small", 10), file("/large", 1 << 20)));
    assertEquals(List.of(mkdir, unlink), order.names());
    assertEquals(
        List.of(List.of(copyLarge), List.of(createSmall, copySmall), List.of(attrs)),
        order.units());
    assertEquals(List.of(link, createEmpty), order.links());
    assertEquals(List.of(dirAttrs), order.directories());
  }
}
