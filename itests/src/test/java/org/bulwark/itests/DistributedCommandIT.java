package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * Distributed commands (spec F.7, issue 12) between two real nodes on 127.0.0.225 and .226 sharing
 * one web port: {@code -G} pushes node 1's cluster.xml to node 2, {@code -E} exports a module with
 * its id, {@code -H "*"} runs a command on both with the output grouped per server, {@code -H "n2"}
 * stops and starts the module on node 2 only, each server journals what it ran with {@code
 * rcmdadmin@<address>}, and a node that is down is a failure of its own, reported at once.
 */
public class DistributedCommandIT {
  private static final String A1 = "127.0.0.225";
  private static final String A2 = "127.0.0.226";
  private static final int PORT = 19225;
  private static final String MODULE = "appd";
  private static final String RCMD_PASSWORD = "it-rcmd-password";

  private static String header(String address) {
    return "---------------- Server=http://" + address + ":" + PORT + " ----------------";
  }

  private static String signature(NodeProcess n) throws Exception {
    Matcher m =
        Pattern.compile("signature (\\S+)").matcher(ok(n.safekit("cluster", "confinfo")).out());
    assertTrue(m.find());
    return m.group(1);
  }

  @Test
  public void commandsExportAndClusterPushOverTwoNodes() throws Exception {
    try (NodeProcess n1 = NodeProcess.copy(A1, PORT);
        NodeProcess n2 = NodeProcess.copy(A2, PORT)) {
      CompletableFuture<Result> s1 = CompletableFuture.supplyAsync(() -> start(n1));
      CompletableFuture<Result> s2 = CompletableFuture.supplyAsync(() -> start(n2));
      ok(s1.join());
      ok(s2.join());
      for (NodeProcess n : List.of(n1, n2)) {
        ok(n.safekit("webservercfg", "-rcmdpasswd", RCMD_PASSWORD));
      }

      // -G: node 1's cluster.xml applied on both
      Path work = n1.home.getParent();
      Path xml = work.resolve("cluster.xml");
      Files.writeString(xml, MirrorPair.clusterXml(List.of(A1, A2)));
      ok(n1.safekit("cluster", "config", xml.toString()));
      assertEquals(1, n2.safekit("cluster", "confinfo").exitCode());
      Result pushed = ok(n1.safekit("-H", "*", "-G"));
      assertTrue(
          pushed.out(), pushed.out().startsWith(header(A1) + "\nrcmdadmin action=clusterconfig\n"));
      assertTrue(
          pushed.out(), pushed.out().contains(header(A2) + "\nrcmdadmin action=clusterconfig\n"));
      assertEquals(pushed.out(), 2, count(pushed.out(), "\nSuccess\n"));
      assertEquals(signature(n1), signature(n2));

      // -E: installed on node 1 only, with id 7, then exported to both
      SafePackage a = SafePackage.tracing(MODULE, work.resolve("trace"), "");
      ok(n1.safekit("module", "install", "-m", MODULE, "-M", "7", a.writeTo(work).toString()));
      Result exported = ok(n1.safekit("-H", "*", "-E", MODULE));
      assertTrue(exported.out(), exported.out().contains("rcmdadmin action=export"));
      assertTrue(
          ok(n2.safekit("module", "listid")).out(),
          ok(n2.safekit("module", "listid")).out().contains(MODULE + " 7"));
      for (NodeProcess n : List.of(n1, n2)) {
        assertTrue(
            ok(n.safekit("state", "-m", MODULE)).out(),
            ok(n.safekit("state", "-m", MODULE)).out().contains("STOP"));
      }

      // -H "*": start on both, wait on both, the states grouped per server
      ok(n1.safekit("-H", "*", "start", "-m", MODULE));
      ok(n1.safekit("-H", "*", "waitstate", "-t", "60", "-m", MODULE, "UP"));
      Result states = ok(n1.safekit("-H", "*", "state"));
      assertTrue(
          states.out(),
          Pattern.compile(
                  "(?s)"
                      + Pattern.quote(header(A1) + "\nrcmdadmin action=exec\n")
                      + "[^\n]*"
                      + MODULE
                      + "[^\n]*UP[^\n]*\n.*Success\n"
                      + Pattern.quote(header(A2) + "\nrcmdadmin action=exec\n")
                      + "[^\n]*"
                      + MODULE
                      + "[^\n]*UP[^\n]*\n.*Success\n")
              .matcher(states.out())
              .matches());

      // -H "n2": node 2 only, journaled there with the distributed-command user at node 1
      ok(n1.safekit("-H", "n2", "stop", "-m", MODULE));
      ok(n2.safekit("waitstate", "-t", "60", "-m", MODULE, "STOP"));
      assertTrue(
          ok(n1.safekit("state", "-m", MODULE)).out(),
          ok(n1.safekit("state", "-m", MODULE)).out().contains("UP"));
      String journal = ok(n2.safekit("cmdlog")).out();
      // the address node 1 connected from (on loopback the kernel picks 127.0.0.1)
      assertTrue(
          journal,
          Pattern.compile("stop -m " + MODULE + " -u rcmdadmin@127\\.0\\.0\\.\\d+\n")
              .matcher(journal)
              .find());
      ok(n1.safekit("-H", "n2", "start", "-m", MODULE));
      ok(n2.safekit("waitstate", "-t", "60", "-m", MODULE, "UP"));
      // the URL form reaches a server by address
      Result byUrl = ok(n1.safekit("-H", "http://" + A2 + ":" + PORT, "state", "-m", MODULE));
      assertTrue(byUrl.out(), byUrl.out().startsWith(header(A2)));

      // usage errors change nothing and say what is wrong
      Result logview = n1.safekit("-H", "*", "logview", "-m", MODULE);
      assertEquals(logview.toString(), 2, logview.exitCode());
      assertTrue(logview.err(), logview.err().contains("'logview' cannot be run on other servers"));
      Result unknown = n1.safekit("-H", "n9", "state");
      assertEquals(unknown.toString(), 2, unknown.exitCode());
      assertTrue(unknown.err(), unknown.err().contains("no node 'n9' in cluster.xml"));

      // a node that is down: its own failure, at once; the other node still answers
      ok(n2.stop());
      long t0 = System.nanoTime();
      Result down = n1.safekit("-H", "*", "state", "-m", MODULE);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertEquals(down.toString(), 1, down.exitCode());
      assertTrue(took.toString(), took.compareTo(Duration.ofSeconds(30)) < 0);
      assertTrue(down.out(), down.out().contains(header(A1) + "\nrcmdadmin action=exec\n"));
      assertTrue(
          down.out(),
          down.out().endsWith(header(A2) + "\nrcmdadmin action=exec\nFailure (exit code 1)\n"));
      assertTrue(
          down.err(),
          down.err().contains("cannot reach http://" + A2 + ":" + PORT + ": connection refused"));
      ok(n1.safekit("-H", "n1", "stop", "-m", MODULE));
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private static Result start(NodeProcess n) {
    try {
      return n.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
