package org.bulwark.store.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.bulwark.api.store.ResourceEntry;
import org.junit.Test;

/** The resource table and its history (spec B.20). */
public class ResourceHistoryTest extends JournalTest {

  public ResourceHistoryTest() {
    super("2026-03-01T10:00:00Z");
  }

  private ResourceEntry entry(int second, String module, String name, String value, String setter) {
    return new ResourceEntry(t0.plusSeconds(second), module, name, value, setter);
  }

  @Test
  public void currentHoldsTheLastValueOfEachResourceByName() throws Exception {
    store.record(entry(0, "mirror", "heartbeat.0", "unknown", "heart"));
    store.record(entry(1, "mirror", "heartbeat.0", "up", "heart"));
    store.record(entry(2, "mirror", "rfs.uptodate", "up", "rfsplug"));
    store.record(entry(3, "farm", "heartbeat.0", "down", "heart"));

    assertEquals(
        List.of(
            entry(1, "mirror", "heartbeat.0", "up", "heart"),
            entry(2, "mirror", "rfs.uptodate", "up", "rfsplug")),
        store.current("mirror"));
    assertEquals(List.of(entry(3, "farm", "heartbeat.0", "down", "heart")), store.current("farm"));
    assertEquals(List.of(), store.current("none"));
  }

  @Test
  public void historyKeepsEveryChangeOldestFirstWithinTheLimit() throws Exception {
    String[] values = {"unknown", "up", "down", "up"};
    for (int i = 0; i < values.length; i++) {
      store.record(entry(i, "mirror", "heartbeat.0", values[i], "heart"));
    }
    assertEquals(
        List.of("unknown", "up", "down", "up"),
        store.history("mirror", "heartbeat.0", 10).stream().map(ResourceEntry::value).toList());
    assertEquals(
        List.of(
            entry(2, "mirror", "heartbeat.0", "down", "heart"),
            entry(3, "mirror", "heartbeat.0", "up", "heart")),
        store.history("mirror", "heartbeat.0", 2));
    assertEquals(List.of(), store.history("mirror", "heartbeat.1", 10));
  }

  @Test
  public void settingTheValueAResourceAlreadyHasJournalsNothing() throws Exception {
    store.record(entry(0, "mirror", "tcp.app", "up", "tcpcheck"));
    store.record(entry(5, "mirror", "tcp.app", "up", "tcpcheck"));
    store.record(entry(9, "mirror", "tcp.app", "up", "other"));

    assertEquals(List.of(entry(0, "mirror", "tcp.app", "up", "tcpcheck")), store.current("mirror"));
    assertEquals(1, store.history("mirror", "tcp.app", 10).size());
  }
}
