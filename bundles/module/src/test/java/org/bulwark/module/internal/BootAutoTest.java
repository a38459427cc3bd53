package org.bulwark.module.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import org.bulwark.api.store.EventLevel;
import org.junit.Test;

/**
 * {@code service@boot="auto"} (spec B.3): the module starts with the node only if it was running
 * when the node last stopped, as its last {@code Action} line tells.
 */
public class BootAutoTest {

  private final MemoryStore store = new MemoryStore();
  private final Journal journal =
      new Journal("m", store, store, Clock.systemUTC(), new JournalWriter("test-journal", 100));

  private void action(String line) {
    journal.log(EventLevel.E, "admin", line);
    journal.log(EventLevel.E, "automaton", "Local state WAIT Transient");
  }

  @Test
  public void theLastActionSaysWhetherTheModuleRan() {
    assertFalse("never started", journal.wasRunning());
    action("Action start called by root");
    assertTrue("running when the node crashed", journal.wasRunning());
    action("Action stop called by root");
    assertFalse(journal.wasRunning());
    action("Action start called at boot time");
    action("Action shutdown called by SYSTEM");
    assertTrue("running when the node stopped", journal.wasRunning());
    action("Action restart called by errd");
    action("Action stop called by maxloop");
    assertFalse(journal.wasRunning());
    action("Action start called by admin@10.0.0.3");
    action("Action forcestop called by root");
    assertFalse(journal.wasRunning());
  }
}
