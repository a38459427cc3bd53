package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.fs.LocalTree;
import org.junit.Test;

/**
 * {@link CopyWriteback}: which {@code sync_file_range} calls a copy's writes make, case by case
 * (writes in MiB: offset+length; calls: W for WRITE alone, A for WAIT_BEFORE|WRITE|WAIT_AFTER).
 */
public class CopyWritebackTest {
  private static final long MIB = 1 << 20;

  private final List<String> calls = new ArrayList<>();

  private final LocalTree.OpenFile file =
      (LocalTree.OpenFile)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {LocalTree.OpenFile.class},
              (proxy, method, args) -> {
                if (!method.getName().equals("syncRange")) {
                  throw new AssertionError("only syncRange expected: " + method.getName());
                }
                long offset = (Long) args[0];
                long length = (Long) args[1];
                int flags = (Integer) args[2];
                String kind =
                    switch (flags) {
                      case CopyWriteback.WRITE -> "W";
                      case CopyWriteback.WAIT_BEFORE
                              | CopyWriteback.WRITE
                              | CopyWriteback.WAIT_AFTER ->
                          "A";
                      default -> "flags " + flags;
                    };
                calls.add(kind + " " + mib(offset) + "+" + mib(length));
                return null;
              });

  private static String mib(long bytes) {
    return bytes % MIB == 0 ? Long.toString(bytes / MIB) : (bytes / (double) MIB) + "";
  }

  /** One case: writes "offset+length" (MiB, fractions allowed) or "end"; the calls expected. */
  private record Case(String name, List<String> steps, List<String> expected) {}

  private static final List<Case> CASES =
      List.of(
          new Case("a small file costs no call", List.of("0+0.0078125", "end"), List.of()),
          new Case(
              "nor one of just under the tail", List.of("0+0.5", "0.5+0.25", "end"), List.of()),
          new Case(
              "a medium file: its tail only",
              List.of("0+1", "1+1", "2+1", "end"),
              List.of("W 0+3")),
          new Case(
              "a large file: each 8 MiB started, the one before awaited, then the tail",
              ones(0, 20),
              List.of("W 0+8", "W 8+8", "A 0+8", "W 16+4")),
          new Case(
              "a tail under 1 MiB is left to the final syncfs",
              List.of("0+4", "4+4", "8+0.5", "end"),
              List.of("W 0+8")),
          new Case(
              "zones of a file: each run is its own",
              List.of("0+2", "10+2", "12+8", "end"),
              List.of("W 0+2", "W 10+10")),
          new Case(
              "a gap forgets the range started: nothing of another run is awaited",
              List.of("0+8", "32+8", "40+8", "end"),
              List.of("W 0+8", "W 32+8", "W 40+8", "A 32+8")));

  private static List<String> ones(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(i + "+1");
    }
    out.add("end");
    return out;
  }

  @Test
  public void callsPerCase() throws Exception {
    for (Case c : CASES) {
      calls.clear();
      CopyWriteback w = new CopyWriteback();
      for (String step : c.steps()) {
        if (step.equals("end")) {
          w.ended(file);
        } else {
          String[] p = step.split("\\+");
          w.written(file, bytes(p[0]), bytes(p[1]));
        }
      }
      assertEquals(c.name(), c.expected(), calls);
    }
  }

  private static long bytes(String mib) {
    return (long) (Double.parseDouble(mib) * MIB);
  }
}
