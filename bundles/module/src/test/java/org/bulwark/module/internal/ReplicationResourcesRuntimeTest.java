package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.bulwark.api.rfs.ReplicationEvents;
import org.junit.Rule;
import org.junit.Test;

/**
 * What replication reports as resources reaches {@code safekit state -v}: an event resource ({@code
 * rfs.reintegre_failed}) logged and kept in the history, a measurement ({@code rfs.refused}, the
 * bandwidths) with its current value only, neither logged nor in the history, a progress ({@code
 * rfs.rei_left}) in the history, where the console draws it from, without a log line.
 */
public class ReplicationResourcesRuntimeTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();

  @Test
  public void measurementsShowInStateVerboseWithoutLogNorHistory() throws Exception {
    ModuleRuntime a = pair.startA(pair.driver("n1"));
    ReplicationEvents rfs = a.replicationEvents();
    rfs.measured("rfs.refused", "2");
    rfs.measured("rfs.rep_bandwidth", "120");
    rfs.resource("rfs.reintegre_failed", "up"); // after the measurements, on the same loop
    MirrorRuntimes.awaitLog(
        pair.storeA, "Resource rfs.reintegre_failed set to up by nfsadmin", MirrorRuntimes.LIMIT);

    assertEquals("2", a.resources().get("rfs.refused"));
    assertEquals("120", a.resources().get("rfs.rep_bandwidth"));
    StringWriter out = new StringWriter();
    StateVerb.printResources(a.resources(), new PrintWriter(out, true));
    assertTrue(out.toString(), out.toString().contains("  rfs.refused                      2\n"));
    assertTrue(out.toString(), out.toString().contains("  rfs.rep_bandwidth                120\n"));
    assertTrue(out.toString(), out.toString().contains("  rfs.reintegre_failed             up\n"));

    assertFalse(pair.storeA.messages().stream().anyMatch(m -> m.contains("rfs.refused")));
    assertFalse(pair.storeA.messages().stream().anyMatch(m -> m.contains("rfs.rep_bandwidth")));
    assertTrue(pair.storeA.history("mirror", "rfs.refused", 10).isEmpty());
    assertEquals(1, pair.storeA.history("mirror", "rfs.reintegre_failed", 10).size());
  }

  @Test
  public void progressIsKeptInTheHistoryWithoutALogLine() throws Exception {
    ModuleRuntime a = pair.startA(pair.driver("n1"));
    ReplicationEvents rfs = a.replicationEvents();
    rfs.progress("rfs.rei_left", "3 files, 2048 KB");
    rfs.progress("rfs.rei_left", "2 files, 1024 KB, 1 s");
    rfs.progress("rfs.rei_left", "2 files, 1024 KB, 1 s"); // unchanged: no row
    rfs.resource("rfs.reintegre_failed", "up"); // after the progress, on the same loop
    MirrorRuntimes.awaitLog(
        pair.storeA, "Resource rfs.reintegre_failed set to up by nfsadmin", MirrorRuntimes.LIMIT);

    assertEquals("2 files, 1024 KB, 1 s", a.resources().get("rfs.rei_left"));
    assertEquals(2, pair.storeA.history("mirror", "rfs.rei_left", 10).size());
    assertFalse(pair.storeA.messages().stream().anyMatch(m -> m.contains("rfs.rei_left")));
  }
}
