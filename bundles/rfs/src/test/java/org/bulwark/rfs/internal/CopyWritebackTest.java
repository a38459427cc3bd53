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

  /**
   * One case a line: its name; its writes, "offset+length" in MiB (fractions allowed), and "end";
   * the calls expected, comma-separated.
   */
  private static final List<String> CASES =
      List.of(
          "a small file costs no call | 0+0.0078125 end |",
          "nor one just under the tail | 0+0.5 0.5+0.25 end |",
          "a medium file: its tail only | 0+1 1+1 2+1 end | W 0+3",
          "a large file: each 8 MiB started, the one before awaited, then the tail | "
              + String.join(" ", ones(20))
              + " end | W 0+8, W 8+8, A 0+8, W 16+4",
          "a tail under 1 MiB is left to the final syncfs | 0+4 4+4 8+0.5 end | W 0+8",
          "zones of a file: each run is its own | 0+2 10+2 12+8 end | W 0+2, W 10+10",
          "a gap forgets the range started | 0+8 32+8 40+8 end | W 0+8, W 32+8, W 40+8, A 32+8");

  /** Writes of 1 MiB in a row from 0. */
  private static List<String> ones(int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(i + "+1");
    }
    return out;
  }

  @Test
  public void callsPerCase() throws Exception {
    for (String line : CASES) {
      String[] c = line.split("\\|", -1);
      calls.clear();
      CopyWriteback w = new CopyWriteback();
      for (String step : c[1].strip().split(" ")) {
        if (step.equals("end")) {
          w.ended(file);
        } else {
          String[] p = step.split("\\+");
          w.written(file, bytes(p[0]), bytes(p[1]));
        }
      }
      List<String> expected = c[2].isBlank() ? List.of() : List.of(c[2].strip().split(", "));
      assertEquals(c[0].strip(), expected, calls);
    }
  }

  private static long bytes(String mib) {
    return (long) (Double.parseDouble(mib) * MIB);
  }
}
