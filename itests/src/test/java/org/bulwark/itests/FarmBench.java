package org.bulwark.itests;

import static org.bulwark.itests.FarmIT.MODULE;
import static org.bulwark.itests.FarmIT.PORT;
import static org.bulwark.itests.FarmIT.VIP;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.itests.FarmClient.Answer;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * Farm benchmarks in the lab (docs/benchmarks.md "Farm"), not a test: not named {@code *IT}, so
 * only run when asked ({@code -Dit.test=FarmBench}). Median of {@code farmbench.rounds} (5):
 *
 * <ol>
 *   <li>takeover: from the loss of a farm node until its clients are answered again, for a member
 *       and for the leader, two ways: kill -9 of the node's processes, its kernel still up (it
 *       refuses the survivors' pulses: lost at once), and its cable pulled, the node itself running
 *       on (silent: lost after {@code slost}/{@code mlost} × pulse). {@code -Dfarmbench.loss=kill}
 *       or {@code silent} measures one way only;
 *   <li>balance skew over 3 nodes: 1,200 random client addresses per round, the largest node's
 *       share over a third, minus one;
 *   <li>requests/s and p99 of one sequential client through the VIP of a one-node farm against the
 *       same server on the node's own address.
 * </ol>
 */
public class FarmBench {
  private static final Duration STEP = Duration.ofSeconds(90);
  private static final int ROUNDS = Integer.getInteger("farmbench.rounds", 5);
  private static final int REQUESTS = Integer.getInteger("farmbench.requests", 2000);

  /** {@code -Dfarmbench.only=requests}: the requests figures alone. */
  private static final boolean ONLY_REQUESTS =
      "requests".equals(System.getProperty("farmbench.only"));

  /** {@code -Dfarmbench.only=takeover}: the takeover figures alone. */
  private static final boolean ONLY_TAKEOVER =
      "takeover".equals(System.getProperty("farmbench.only"));

  /** How a node is lost in the takeover rounds (docs/farm.md "Two detections"). */
  enum Loss {
    /** kill -9 of every process of the node; its kernel answers (refuses) the survivors' pulses. */
    KILL,
    /** its cable pulled, the node running on unseen: nothing refuses, its silence is counted. */
    SILENT
  }

  private static final List<Loss> LOSSES =
      System.getProperty("farmbench.loss") == null
          ? List.of(Loss.KILL, Loss.SILENT)
          : List.of(Loss.valueOf(System.getProperty("farmbench.loss").toUpperCase()));

  @Test
  public void farm() throws Exception {
    long seed = Long.getLong("farm.seed", System.nanoTime());
    System.out.println("FarmBench seed " + seed + ", load: " + uptime());
    Random random = new Random(seed);
    List<String> sources = FarmIT.sources(random, FarmIT.CLIENTS);
    try (NetLab lab = NetLab.create(3)) {
      lab.startAll();
      lab.configureCluster();
      FarmIT.clientNetwork(lab, sources);
      for (LabNode n : lab.nodes()) {
        n.install(
            MODULE, FarmIT.farmPackage(n.name, FarmIT.accepted(n), "0.0.0.0", "vmac_invisible"));
        ok(n.safekit("start", "-m", MODULE));
      }
      for (LabNode n : lab.nodes()) {
        n.awaitState(MODULE, "UP", STEP);
      }
      FarmClient client = new FarmClient(lab, VIP, PORT);
      Map<String, BucketSet> shares = FarmIT.awaitShares(lab, lab.nodes());

      List<Double> skews = new ArrayList<>();
      for (int r = 0; r < (ONLY_REQUESTS || ONLY_TAKEOVER ? 0 : ROUNDS); r++) {
        List<String> round = r == 0 ? sources : FarmIT.sources(random, FarmIT.CLIENTS);
        if (r > 0) {
          addClients(lab, round);
        }
        Map<String, Integer> count = new TreeMap<>();
        for (Answer a : client.connect(round, Duration.ofSeconds(3))) {
          count.merge(a.node(), 1, Integer::sum);
        }
        double max = Collections.max(count.values());
        skews.add(max / (round.size() / 3.0) - 1);
        System.out.println("FarmBench balance round " + r + ": " + count);
      }
      System.out.println(
          "FarmBench balance skew (max/mean - 1): " + skews + " median " + median(skews));

      Map<String, List<Double>> takeovers = new TreeMap<>();
      for (int r = 0; r < (ONLY_REQUESTS ? 0 : ROUNDS); r++) {
        StringBuilder line = new StringBuilder("FarmBench takeover round " + r + ":");
        for (Loss loss : LOSSES) {
          for (LabNode victim : List.of(lab.node(2 + r % 2), lab.node(1))) {
            String what = (victim == lab.node(1) ? "leader" : "member") + " " + loss;
            double[] t = takeover(lab, victim, sources, shares, loss);
            takeovers.computeIfAbsent(what, k -> new ArrayList<>()).add(t[0]);
            takeovers
                .computeIfAbsent(what + " (sequential probe)", k -> new ArrayList<>())
                .add(t[1]);
            line.append(' ').append(what).append(' ').append(t[0]).append(" ms");
            line.append(" (sequential probe ").append(t[1]).append("),");
          }
        }
        System.out.println(line.append(" load: ").append(uptime()));
      }
      takeovers.forEach(
          (what, values) ->
              System.out.println(
                  "FarmBench takeover " + what + " " + values + " median " + median(values)));

      if (ONLY_TAKEOVER) {
        return;
      }
      // one-node farm: n2 and n3 stopped, n1 holds the 256 buckets
      ok(lab.node(2).safekit("stop", "-m", MODULE));
      ok(lab.node(3).safekit("stop", "-m", MODULE));
      FarmIT.awaitShares(lab, List.of(lab.node(1)));
      for (int r = 0; r < ROUNDS; r++) {
        String figures = requests(lab, VIP, lab.node(1).address, sources.get(0));
        System.out.println(
            "FarmBench requests round " + r + ": " + figures + " | load: " + uptime());
      }
    }
  }

  /**
   * {@code victim} lost ({@link Loss}); a probe in the client's namespace starts a connection from
   * one of its clients every 20 ms, without waiting for the previous ones (each is given 1 s), and
   * skips the victim's answers; returns the milliseconds from the loss (the start of the kill or of
   * the cable's pull) to the first answer of another node, and prints where they went from the
   * survivors' logs. Then the victim comes back (started again, or its cable plugged) and the
   * distribution is awaited.
   *
   * <p>The client sees the killed node all along: its filter went with its process and its guard
   * table drops its former clients' packets (docs/vip.md "A dead node drops its VIP's traffic").
   * Before the guard, its kernel kept the filter and reset those clients, winning every race with
   * the new owner's SYN-ACK in the lab (no answer within 60 s), and the bench cut the victim from
   * the client before the kill to measure the takeover alone.
   *
   * <p>The attempts overlap on purpose: a SYN that a survivor's filter drops is retransmitted only
   * after 1 s, so a probe that waits for each attempt to time out (100 ms) before the next one
   * measures the takeover in steps of 120 ms — on average 60 ms late.
   */
  private static double[] takeover(
      NetLab lab, LabNode victim, List<String> sources, Map<String, BucketSet> shares, Loss loss)
      throws Exception {
    String orphan = FarmIT.ownedBy(sources, shares, victim.name, 1).get(0);
    String probe =
        "use IO::Socket::INET; use IO::Select; use Time::HiRes qw(time);"
            + " my ($vip, $port, $src, $victim) = @ARGV; $| = 1; my $sel = IO::Select->new;"
            + " my %born; my $next = 0; print \"ready\\n\";"
            + " while (1) { my $now = time; if ($now >= $next) { $next = $now + 0.02;"
            + " my $c = IO::Socket::INET->new(PeerAddr => $vip, PeerPort => $port,"
            + " LocalAddr => $src, Proto => 'tcp', Blocking => 0);"
            + " if ($c) { $sel->add($c); $born{$c} = $now } }"
            + " for my $c ($sel->can_read(0.005)) { my $l = ''; my $n = sysread($c, $l, 256);"
            + " $sel->remove($c); delete $born{$c}; close $c;"
            + " if ($n && $l ne \"$victim\\n\") { printf \"%.0f %s\", time * 1000, $l; exit 0 } }"
            + " for my $c ($sel->handles) { if ($now - $born{$c} > 1) { $sel->remove($c);"
            + " delete $born{$c}; close $c } } }";
    // the former probe, in the same kill: each attempt waits for its own 100 ms timeout (and at
    // most 1 s for the answer: a connection the loss cut in the middle is given up)
    String sequential =
        "use IO::Socket::INET; use IO::Select; use Time::HiRes qw(time sleep); $| = 1;"
            + " print \"ready\\n\";"
            + " while (1) { my $c = IO::Socket::INET->new(PeerAddr => $ARGV[0], PeerPort =>"
            + " $ARGV[1], LocalAddr => $ARGV[2], Proto => 'tcp', Timeout => 0.1);"
            + " if ($c && IO::Select->new($c)->can_read(1)) { my $l = <$c>;"
            + " if (defined $l && $l ne '' && $l ne \"$ARGV[3]\\n\") {"
            + " printf \"%.0f %s\", time * 1000, $l; exit 0 } } sleep 0.02 }";
    Process p = probe(lab, probe, orphan, victim);
    Process q = probe(lab, sequential, orphan, victim);
    try (BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        BufferedReader out2 =
            new BufferedReader(new InputStreamReader(q.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("ready", out.readLine());
      assertEquals("ready", out2.readLine());
      // the probe is answered by the victim until the kill, and skips those answers
      long killed = System.currentTimeMillis();
      if (loss == Loss.KILL) {
        victim.kill9();
      } else {
        lab.pullCable(victim);
      }
      String line = out.readLine();
      assertTrue("no answer after the kill of " + victim, line != null);
      double ms = Long.parseLong(line.split(" ")[0]) - killed;
      String line2 = out2.readLine();
      assertTrue("no answer to the sequential probe after the kill of " + victim, line2 != null);
      double ms2 = Long.parseLong(line2.split(" ")[0]) - killed;
      p.waitFor(10, TimeUnit.SECONDS);
      for (LabNode n : lab.nodes()) {
        if (n != victim) {
          System.out.println(
              "FarmBench takeover ("
                  + loss
                  + ") of "
                  + victim.name
                  + " seen by "
                  + n.name
                  + ": "
                  + phases(n, killed));
        }
      }
      if (loss == Loss.KILL) {
        ok(victim.start());
        ok(victim.safekit("start", "-m", MODULE));
      } else {
        lab.plugCable(victim);
      }
      victim.awaitState(MODULE, "UP", STEP);
      try {
        FarmIT.awaitShares(lab, lab.nodes());
      } catch (IllegalStateException noAgreement) {
        // issue 10: what each node's membership and filter did since the kill
        StringBuilder logs = new StringBuilder(noAgreement.getMessage());
        for (LabNode n : lab.nodes()) {
          logs.append("\n--- ").append(n.name).append(" (vipd since the kill)\n");
          logs.append(vipdSince(n, killed));
        }
        throw new AssertionError(logs.toString(), noAgreement);
      }
      return new double[] {ms, ms2};
    } finally {
      p.destroyForcibly();
      q.destroyForcibly();
    }
  }

  private static Process probe(NetLab lab, String script, String orphan, LabNode victim)
      throws java.io.IOException {
    return new ProcessBuilder(
            "ip",
            "netns",
            "exec",
            lab.network().client,
            "timeout",
            "60",
            "perl",
            "-e",
            script,
            VIP,
            Integer.toString(PORT),
            orphan,
            victim.name)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** The {@code vipd} lines of {@code n}'s module log from {@code since} on. */
  static String vipdSince(LabNode n, long since) {
    DateTimeFormatter time =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());
    StringBuilder out = new StringBuilder();
    for (String l : n.moduleLog(MODULE).lines().toList()) {
      if (l.length() < 28 || !l.startsWith("| ") || !l.contains("| vipd |")) {
        continue;
      }
      try {
        if (Instant.from(time.parse(l.substring(2, 28))).toEpochMilli() >= since) {
          out.append(l).append('\n');
        }
      } catch (DateTimeException notATime) {
        // a continuation line
      }
    }
    return out.toString();
  }

  /**
   * From a survivor's verbose log, the first view change after the kill and its filter: "view +1953
   * ms, filter programmed in 2 ms (queued 0 ms)", times from the kill.
   */
  static String phases(LabNode n, long killed) {
    DateTimeFormatter time =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());
    String view = null;
    String filter = null;
    String refused = null;
    for (String l : n.moduleLog(MODULE).lines().toList()) {
      // "| 2026-12-05 05:31:00.123456 | vipd | E | farm membership: …" (spec G.6)
      if (l.length() < 28 || !l.startsWith("| ")) {
        continue;
      }
      long at;
      try {
        at = Instant.from(time.parse(l.substring(2, 28))).toEpochMilli();
      } catch (DateTimeException notATime) {
        continue;
      }
      if (at < killed) {
        continue;
      }
      if (refused == null && l.contains("refused our pulse")) {
        refused = "refused +" + (at - killed) + " ms, ";
      }
      if (view == null && l.contains("farm membership:")) {
        view = "view +" + (at - killed) + " ms";
      } else if (view != null && filter == null && l.contains("Farm filter programmed")) {
        filter = "filter +" + (at - killed) + " ms (" + l.substring(l.indexOf("programmed")) + ")";
      }
    }
    return (refused == null ? "no refusal, " : refused) + view + ", " + filter;
  }

  /**
   * {@link #REQUESTS} sequential requests to each of {@code vip} and {@code direct}, interleaved
   * one by one (order swapped every pair) so that both see the same moments of a shared machine:
   * each request connects from {@code source}, reads the node's name and closes. Returns, per
   * target, requests/s (requests over the sum of their latencies), p50 and p99.
   */
  private static String requests(NetLab lab, String vip, String direct, String source)
      throws Exception {
    String bench =
        "use IO::Socket::INET; use Time::HiRes qw(time); my ($vip, $direct, $port, $src, $n) ="
            + " @ARGV; my %t = ($vip => [], $direct => []);"
            + " for my $i (1 .. $n) { for my $to ($i % 2 ? ($vip, $direct) : ($direct, $vip)) {"
            + " my $s = time; my $c = IO::Socket::INET->new(PeerAddr => $to, PeerPort => $port,"
            + " LocalAddr => $src, Proto => 'tcp', Timeout => 3) or die \"connect $to: $!\";"
            + " my $l = <$c>; close $c; push @{$t{$to}}, (time - $s) * 1000 } }"
            + " for my $to ($vip, $direct) { my @v = sort { $a <=> $b } @{$t{$to}}; my $sum = 0;"
            + " $sum += $_ for @v; printf \"%s %.0f req/s p50 %.3f ms p99 %.3f ms\\n\", $to,"
            + " @v / $sum * 1000, $v[int(@v * 0.5)], $v[int(@v * 0.99)] }";
    Result r =
        lab.client(
            Duration.ofSeconds(600),
            "perl",
            "-e",
            bench,
            vip,
            direct,
            Integer.toString(PORT),
            source,
            Integer.toString(REQUESTS));
    ok(r);
    return r.out().trim().replace("\n", " | ");
  }

  private static void addClients(NetLab lab, List<String> sources) throws Exception {
    Path batch = lab.run.dir.resolve("client-addresses-more");
    StringBuilder b = new StringBuilder();
    for (String s : sources) {
      b.append("addr replace ").append(s).append("/32 dev eth0\n");
    }
    Files.writeString(batch, b);
    LabRun.must("ip", "-n", lab.network().client, "-batch", batch.toString());
  }

  static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    if (v.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(v);
    return v.get(v.size() / 2);
  }

  static String uptime() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
