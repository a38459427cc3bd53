package org.bulwark.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.ResourceEntry;
import org.junit.Test;

/** The bounded purges of the cleaning jobs (spec G.6 safelog_clean) and their scheduled pass. */
public class RetentionTest extends JournalTest {

  public RetentionTest() {
    super("2026-03-01T10:00:00Z");
  }

  private List<String> messages(String module) throws Exception {
    return store.read(module, 0, true, 1000).stream().map(EventEntry::message).toList();
  }

  @Test
  public void aModulePurgeDeletesTheOldestRowsAtMostMaxDeletesPerCall() throws Exception {
    for (int i = 0; i < 10; i++) {
      store.append(t0, "mirror", "heart", EventLevel.E, "m" + i);
      store.append(t0, "farm", "vipd", EventLevel.E, "f" + i);
    }
    assertEquals(4, store.purgeEventLog("mirror", 3, 4));
    assertEquals(List.of("m4", "m5", "m6", "m7", "m8", "m9"), messages("mirror"));
    assertEquals(3, store.purgeEventLog("mirror", 3, 4));
    assertEquals(List.of("m7", "m8", "m9"), messages("mirror"));
    assertEquals(0, store.purgeEventLog("mirror", 3, 4));
    assertEquals("another module's log is untouched", 10, messages("farm").size());
    assertEquals(0, store.purgeEventLog("mirror", 0, 0));
    assertEquals(3, store.purgeEventLog("mirror", 0, 100));
    assertEquals(List.of(), messages("mirror"));
  }

  @Test
  public void theCommandsLogKeepsItsNewestRows() throws Exception {
    for (int i = 0; i < 8; i++) {
      store.info("safekit", "", "c" + i);
    }
    assertEquals(5, store.purgeCommandLog(3, 1000));
    assertEquals(
        List.of("c5", "c6", "c7"), store.tail(100).stream().map(CommandLogEntry::text).toList());
  }

  @Test
  public void resourceHistoryIsPurgedPerResourceAndCurrentValuesStay() throws Exception {
    for (int i = 0; i < 6; i++) {
      String value = i % 2 == 0 ? "up" : "down";
      store.record(new ResourceEntry(t0.plusSeconds(i), "mirror", "heartbeat.0", value, "heart"));
      store.record(new ResourceEntry(t0.plusSeconds(i), "mirror", "ping.gw", value, "pingcheck"));
    }
    assertEquals("bounded across resources", 5, store.purgeResourceHistory("mirror", 2, 5));
    assertEquals(3, store.purgeResourceHistory("mirror", 2, 5));
    assertEquals(0, store.purgeResourceHistory("mirror", 2, 5));
    for (String name : List.of("heartbeat.0", "ping.gw")) {
      assertEquals(
          List.of("up", "down"),
          store.history("mirror", name, 10).stream().map(ResourceEntry::value).toList());
    }
    assertEquals(2, store.current("mirror").size());
  }

  @Test
  public void negativeBoundsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> store.purgeEventLog("m", -1, 10));
    assertThrows(IllegalArgumentException.class, () -> store.purgeCommandLog(1, -1));
    assertThrows(IllegalArgumentException.class, () -> store.purgeResourceHistory("m", 1, -1));
  }

  // the scheduled pass over every log (JournalCleaner)

  @Test
  public void everyLogKeepsItsNewestRowsInBoundedBatches() throws Exception {
    for (int i = 0; i < 12; i++) {
      store.append(t0, "mirror", "heart", EventLevel.E, "m" + i);
      store.append(t0, "farm", "vipd", EventLevel.E, "f" + i);
      store.append(t0, "", "safeadmin", EventLevel.E, "n" + i);
      store.info("safekit", "", "c" + i);
      store.record(new ResourceEntry(t0.plusSeconds(i), "mirror", "heartbeat.0", "v" + i, "heart"));
      store.record(new ResourceEntry(t0.plusSeconds(i), "farm", "FARM_0", "v" + i, "vipd"));
    }
    assertEquals(List.of("", "farm", "mirror"), store.loggedModules());
    assertEquals(List.of("farm", "mirror"), store.resourceModules());

    JournalCleaner.Pass pass =
        new JournalCleaner(store).clean(new JournalCleaner.Limits(5, 3, 4, 2, 3), () -> false);

    assertEquals(List.of("m7", "m8", "m9", "m10", "m11"), messages("mirror"));
    assertEquals(List.of("f7", "f8", "f9", "f10", "f11"), messages("farm"));
    assertEquals(List.of("n9", "n10", "n11"), messages(""));
    assertEquals(
        List.of("c8", "c9", "c10", "c11"),
        store.tail(100).stream().map(CommandLogEntry::text).toList());
    assertEquals(
        List.of("v10", "v11"),
        store.history("mirror", "heartbeat.0", 100).stream().map(ResourceEntry::value).toList());
    assertEquals(2, store.history("farm", "FARM_0", 100).size());
    assertEquals(new JournalCleaner.Pass(7 + 7 + 9, 8, 10 + 10), pass);
    assertEquals(
        "a second pass finds nothing to do",
        0,
        new JournalCleaner(store)
            .clean(new JournalCleaner.Limits(5, 3, 4, 2, 3), () -> false)
            .total());
  }

  @Test
  public void aPassStopsBetweenBatchesWhenTheNodeStops() throws Exception {
    for (int i = 0; i < 10; i++) {
      store.append(t0, "mirror", "heart", EventLevel.E, "m" + i);
    }
    int[] batches = {0};
    JournalCleaner.Pass pass =
        new JournalCleaner(store)
            .clean(new JournalCleaner.Limits(0, 0, 0, 0, 2), () -> batches[0]++ >= 2);
    assertEquals(4, pass.logRows());
    assertEquals(6, messages("mirror").size());
  }

  @Test
  public void limitsThatMakeNoSenseAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new JournalCleaner.Limits(5, 4, -1, 2, 100));
    assertEquals(
        "rows kept must be >= 0 (moduleLogRows 5, nodeLogRows 4, commandLogRows -1,"
            + " resourceHistoryRows 2) and the batch >= 1 (100)",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new JournalCleaner.Limits(1, 1, 1, 1, 0));
  }
}
