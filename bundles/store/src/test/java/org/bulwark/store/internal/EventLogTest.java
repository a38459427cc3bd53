package org.bulwark.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLevel;
import org.junit.Test;

/** Module logs and the node log of spec G.6. */
public class EventLogTest extends JournalTest {

  public EventLogTest() {
    super("2026-03-01T10:00:00.000001Z");
  }

  /** One row per level, in the order of {@link EventLevel}, for module {@code mirror}. */
  private long[] appendEveryLevel() throws Exception {
    EventLevel[] levels = EventLevel.values();
    long[] seqs = new long[levels.length];
    for (int i = 0; i < levels.length; i++) {
      seqs[i] =
          store.append(t0.plusSeconds(i), "mirror", "heart", levels[i], "message " + levels[i]);
    }
    return seqs;
  }

  @Test
  public void appendReturnsIncreasingSequenceNumbersAndRowsReadBackIntact() throws Exception {
    long[] seqs = appendEveryLevel();
    for (int i = 1; i < seqs.length; i++) {
      assertTrue(seqs[i] > seqs[i - 1]);
    }
    List<EventEntry> rows = store.read("mirror", 0, true, 100);
    assertEquals(EventLevel.values().length, rows.size());
    assertEquals(
        new EventEntry(seqs[0], t0, "mirror", "heart", EventLevel.U, "message U"), rows.get(0));
    assertEquals(t0.plusSeconds(6), rows.get(6).time());
  }

  @Test
  public void theMainLogLeavesOutInformationAndDebugRows() throws Exception {
    appendEveryLevel();
    List<EventLevel> main =
        store.read("mirror", 0, false, 100).stream().map(EventEntry::level).toList();
    assertEquals(
        List.of(EventLevel.U, EventLevel.E, EventLevel.C, EventLevel.S, EventLevel.W), main);
    List<EventLevel> tail = store.tail("mirror", false, 2).stream().map(EventEntry::level).toList();
    assertEquals(List.of(EventLevel.S, EventLevel.W), tail);
    List<EventLevel> verboseTail =
        store.tail("mirror", true, 2).stream().map(EventEntry::level).toList();
    assertEquals(List.of(EventLevel.I, EventLevel.D), verboseTail);
  }

  @Test
  public void readFollowsTheLogFromTheLastSequenceSeen() throws Exception {
    long[] seqs = appendEveryLevel();
    List<EventEntry> page = store.read("mirror", seqs[1], true, 2);
    assertEquals(List.of(seqs[2], seqs[3]), page.stream().map(EventEntry::seq).toList());
    assertEquals(List.of(), store.read("mirror", seqs[seqs.length - 1], true, 10));
    assertEquals(List.of(), store.read("mirror", 0, true, 0));
  }

  @Test
  public void eachModuleHasItsOwnLogAndTheNodeLogIsTheEmptyModule() throws Exception {
    store.append(t0, "mirror", "heart", EventLevel.E, "Local state ALONE Ready");
    store.append(t0, "farm", "vipd", EventLevel.E, "Local state UP Ready");
    store.append(t0, "", "safeadmin", EventLevel.E, "node started");
    store.append(t0, null, "safeadmin", EventLevel.E, "node ready");

    assertEquals(
        List.of("Local state ALONE Ready"),
        store.tail("mirror", false, 10).stream().map(EventEntry::message).toList());
    assertEquals(
        List.of("Local state UP Ready"),
        store.read("farm", 0, false, 10).stream().map(EventEntry::message).toList());
    assertEquals(
        List.of("node started", "node ready"),
        store.tail("", true, 10).stream().map(EventEntry::message).toList());
    assertEquals(2, store.tail(null, true, 10).size());
    assertEquals(List.of(), store.tail("unknown", true, 10));
  }
}
