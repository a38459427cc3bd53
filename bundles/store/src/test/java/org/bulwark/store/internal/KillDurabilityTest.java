package org.bulwark.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.StoreException;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code kill -9} of the writing JVM loses no acknowledged row (issue 2: "durable across kill -9 of
 * the node"): a child JVM writes in a loop and acknowledges each round after the calls return; it
 * is killed with SIGKILL mid-stream, and every acknowledged row must be found on reopening.
 */
public class KillDurabilityTest {

  private static final int ACKS_BEFORE_KILL = 100;
  private static final long DEADLINE_MS = 30_000;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private Process child;
  private Thread reader;

  @After
  public void killChild() throws Exception {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  public void everyAcknowledgedRowSurvivesSigkill() throws Exception {
    Path dir = tmp.getRoot().toPath().resolve("var").resolve("db");
    Path childErr = tmp.getRoot().toPath().resolve("child.err");
    // The child opens an existing, empty journal: creating one is not what is tested here.
    TemplateDatabase.copyTo(dir);
    String java = ProcessHandle.current().info().command().orElseThrow();
    child =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                JournalWriterMain.class.getName(),
                dir.toString(),
                "1000000")
            .redirectError(childErr.toFile())
            .start();
    BlockingQueue<String> lines = readLines(child);

    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    assertEquals("OPEN", next(lines, deadline, childErr));
    // Acknowledged round -> {command id, event seq}.
    Map<Integer, long[]> acked = new HashMap<>();
    while (acked.size() < ACKS_BEFORE_KILL) {
      String[] ack = next(lines, deadline, childErr).split(" ");
      assertEquals("ACK", ack[0]);
      acked.put(
          Integer.parseInt(ack[1]), new long[] {Long.parseLong(ack[2]), Long.parseLong(ack[3])});
    }

    // While the child holds the database, another process is refused with a clear message.
    StoreException inUse =
        assertThrows(StoreException.class, () -> JournalStore.open(dir, Clock.systemUTC()));
    assertTrue(inUse.getMessage(), inUse.getMessage().contains("in use by another process"));

    child.destroyForcibly();
    assertTrue("child still alive after SIGKILL", child.waitFor(10, TimeUnit.SECONDS));
    assertEquals("killed by SIGKILL", 137, child.exitValue());
    reader.join(DEADLINE_MS);
    // Rounds acknowledged between the count and the kill are durable too.
    for (String line; (line = lines.poll()) != null; ) {
      String[] ack = line.split(" ");
      acked.put(
          Integer.parseInt(ack[1]), new long[] {Long.parseLong(ack[2]), Long.parseLong(ack[3])});
    }

    try (JournalStore store = JournalStore.open(dir, Clock.systemUTC())) {
      Map<Long, String> commands = new HashMap<>();
      for (CommandLogEntry row : store.tail(JournalStore.MAX_ROWS_PER_READ)) {
        commands.put(row.id(), row.text());
      }
      Map<Long, String> events = new HashMap<>();
      for (EventEntry row : store.tail("kill9", true, JournalStore.MAX_ROWS_PER_READ)) {
        events.put(row.seq(), row.message());
      }
      List<String> values =
          store.history("kill9", "round", JournalStore.MAX_ROWS_PER_READ).stream()
              .map(ResourceEntry::value)
              .toList();
      int lastAcked = acked.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
      for (Map.Entry<Integer, long[]> round : acked.entrySet()) {
        String text = "round " + round.getKey();
        assertEquals("command of " + text, text, commands.get(round.getValue()[0]));
        assertEquals("event of " + text, text, events.get(round.getValue()[1]));
        assertTrue("resource value of " + text, values.contains(round.getKey().toString()));
      }
      int current = Integer.parseInt(store.current("kill9").get(0).value());
      assertTrue("current value " + current + " older than " + lastAcked, current >= lastAcked);
      System.out.printf(
          "kill -9 durability: %d acknowledged rounds (%d rows), %d commands found%n",
          acked.size(), 3 * acked.size(), commands.size());
    }
  }

  private BlockingQueue<String> readLines(Process p) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (java.io.IOException e) {
                // The child is gone; the test reads what arrived.
              }
            },
            "child-stdout");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static String next(BlockingQueue<String> lines, long deadline, Path childErr)
      throws Exception {
    long left = deadline - System.currentTimeMillis();
    String line = left > 0 ? lines.poll(left, TimeUnit.MILLISECONDS) : null;
    assertNotNull(
        "no line from the child before the deadline; its stderr:\n"
            + (Files.exists(childErr) ? Files.readString(childErr) : ""),
        line);
    return line;
  }
}
