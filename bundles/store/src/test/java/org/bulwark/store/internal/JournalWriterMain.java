package org.bulwark.store.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.ResourceEntry;

/**
 * The child JVM of {@link KillDurabilityTest}: writes to the journal in a loop and prints {@code
 * ACK <i> <command id> <event seq>} once the writes of round {@code i} have returned. Exits when
 * its standard input closes (the test JVM is gone) or after {@code maxRounds}.
 */
public final class JournalWriterMain {

  private JournalWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int maxRounds = Integer.parseInt(args[1]);
    Thread orphanGuard = new Thread(JournalWriterMain::haltWhenStdinCloses, "orphan-guard");
    orphanGuard.setDaemon(true);
    orphanGuard.start();
    PrintStream out = System.out;
    JournalStore store = JournalStore.open(dir, Clock.systemUTC());
    out.println("OPEN");
    out.flush();
    for (int i = 0; i < maxRounds; i++) {
      long id = store.start("safekit", "kill9", "round " + i);
      long seq =
          store.append(Clock.systemUTC().instant(), "kill9", "test", EventLevel.E, "round " + i);
      store.record(
          new ResourceEntry(
              Clock.systemUTC().instant(), "kill9", "round", Integer.toString(i), "test"));
      out.println("ACK " + i + " " + id + " " + seq);
      out.flush();
    }
    store.close();
  }

  private static void haltWhenStdinCloses() {
    try {
      while (System.in.read() >= 0) {
        // Nothing is expected on stdin; only its end matters.
      }
    } catch (IOException e) {
      // Same as end of input.
    }
    Runtime.getRuntime().halt(3);
  }
}
