package org.bulwark.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.bulwark.itests.NodeProcess.Result;

/**
 * Two real nodes holding one mirror module (issue 5): node copies on their own loopback addresses,
 * one cluster.xml naming both, and a {@code .safe} whose scripts append {@code "<script> <args>"}
 * to a trace file per node. {@link #close()} removes both nodes whatever happened.
 */
final class MirrorPair implements AutoCloseable {
  static final String MODULE = "mirror";
  static final String[] SCRIPTS = {
    "prestart",
    "start_prim",
    "stop_prim",
    "start_second",
    "stop_second",
    "start_both",
    "stop_both",
    "start_sec",
    "stop_sec",
    "poststop"
  };

  final NodeProcess n1;
  final NodeProcess n2;

  /**
   * Copies and starts both nodes (in parallel), applies the cluster configuration, installs and
   * configures the module with the given {@code <heart>} attributes (e.g. {@code pulse="100"
   * timeout="2000"}, or empty for the defaults).
   */
  MirrorPair(String addr1, int port1, String addr2, int port2, String heartAttributes)
      throws Exception {
    List<NodeProcess> created = new ArrayList<>();
    try {
      created.add(NodeProcess.copy(addr1, port1));
      created.add(NodeProcess.copy(addr2, port2));
    } catch (Exception e) {
      for (NodeProcess n : created) {
        n.close();
      }
      throw e;
    }
    n1 = created.get(0);
    n2 = created.get(1);
    try {
      CompletableFuture<Result> s1 = CompletableFuture.supplyAsync(() -> unchecked(n1::start));
      CompletableFuture<Result> s2 = CompletableFuture.supplyAsync(() -> unchecked(n2::start));
      ok(s1.join());
      ok(s2.join());
      String cluster =
          "<cluster>\n  <lans>\n    <lan name=\"default\" command=\"on\">\n"
              + "      <node name=\"n1\" addr=\""
              + addr1
              + "\"/>\n      <node name=\"n2\" addr=\""
              + addr2
              + "\"/>\n    </lan>\n  </lans>\n</cluster>\n";
      for (NodeProcess n : List.of(n1, n2)) {
        Path work = n.home.getParent();
        Path xml = work.resolve("cluster.xml");
        Files.writeString(xml, cluster);
        // the cluster first: a module runtime reads it when its configuration is applied
        ok(n.safekit("cluster", "config", xml.toString()));
        Path safe = mirrorPackage(trace(n), heartAttributes).writeTo(work);
        ok(n.safekit("module", "install", "-m", MODULE, safe.toString()));
        ok(n.safekit("config", "-m", MODULE));
      }
    } catch (Exception | AssertionError e) {
      close();
      throw e;
    }
  }

  static Path trace(NodeProcess n) {
    return n.home.getParent().resolve("trace");
  }

  static List<String> traceOf(NodeProcess n) throws IOException {
    Path t = trace(n);
    return Files.exists(t) ? Files.readAllLines(t) : List.of();
  }

  private static SafePackage mirrorPackage(Path trace, String heartAttributes) {
    SafePackage p =
        new SafePackage(
            MODULE,
            "<!DOCTYPE safe>\n<safe>\n  <service mode=\"mirror\">\n"
                + "    <heart "
                + heartAttributes
                + ">\n      <heartbeat name=\"default\" ident=\"0\"/>\n    </heart>\n"
                + "    <user nicestoptimeout=\"5\" forcestoptimeout=\"5\">\n"
                + "      <var name=\"TRACE\" value=\""
                + trace
                + "\"/>\n    </user>\n  </service>\n</safe>\n");
    for (String s : SCRIPTS) {
      p.script(s, "echo \"" + s + " $*\" >> \"$TRACE\"\n");
    }
    return p;
  }

  static Result ok(Result r) {
    assertEquals(r.toString(), 0, r.exitCode());
    return r;
  }

  /**
   * Waits until the module on {@code n} is in {@code state} and not in transition, at most {@code
   * seconds} (a bounded {@code safekit waitstate}); fails with both nodes' module logs otherwise.
   */
  void await(NodeProcess n, String state, int seconds) throws Exception {
    Result r =
        NodeProcess.run(
            List.of(
                "timeout",
                Integer.toString(seconds),
                n.home.resolve("safekit").toString(),
                "waitstate",
                "-m",
                MODULE,
                state),
            Map.of("SAFEKIT_WAIT", "1"));
    if (r.exitCode() != 0) {
      fail(
          n.address + " did not reach " + state + " within " + seconds + "s: " + r + "\n" + logs());
    }
  }

  /** The module's health-check URL on {@code n} (spec G.10). */
  int ready(NodeProcess n) throws Exception {
    return n.get("/var/modules/" + MODULE + "/ready.txt").statusCode();
  }

  String state(NodeProcess n) throws Exception {
    return n.safekit("state", "-m", MODULE).out().trim();
  }

  String logs() {
    StringBuilder b = new StringBuilder();
    for (NodeProcess n : List.of(n1, n2)) {
      try {
        b.append("--- module log of ")
            .append(n.address)
            .append('\n')
            .append(n.safekit("log", "-m", MODULE, "-A").out());
      } catch (Exception e) {
        b.append("(no log of ").append(n.address).append(": ").append(e).append(")\n");
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws Exception {
    try {
      n1.close();
    } finally {
      n2.close();
    }
  }

  private interface Call<T> {
    T call() throws Exception;
  }

  private static <T> T unchecked(Call<T> c) {
    try {
      return c.call();
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }
}
