package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bulwark.itests.NodeProcess.Result;

/**
 * The clients of a farm's service in the lab, run in the client's namespace with the system's perl
 * (as the servers): {@link #connect} opens one connection per source address given, one after the
 * other, and reads the answering node's name; {@link Holder} keeps connections open and talks on
 * them until told to stop, to show that a membership change does not reset them.
 */
final class FarmClient {
  private final NetLab lab;
  private final String vip;
  private final int port;

  FarmClient(NetLab lab, String vip, int port) {
    this.lab = lab;
    this.vip = vip;
    this.port = port;
  }

  /** One connection: its source address and port, and who answered ({@code ERR …} if nobody). */
  record Answer(String source, int sourcePort, String node) {
    boolean answered() {
      return !node.startsWith("ERR");
    }
  }

  private static final String CONNECT =
      "use IO::Socket::INET; use IO::Select; $| = 1;"
          + " my ($vip, $port, $list, $wait) = @ARGV;"
          + " open(my $f, '<', $list) or die \"$list: $!\";"
          + " while (my $src = <$f>) { chomp $src; next if $src eq '';"
          + " my $c = IO::Socket::INET->new(PeerAddr => $vip, PeerPort => $port,"
          + " LocalAddr => $src, Proto => 'tcp', Timeout => $wait);"
          + " if (!$c) { print \"$src 0 ERR connect $!\\n\"; next }"
          + " my $sport = $c->sockport; my $who = 'ERR no answer';"
          + " if (IO::Select->new($c)->can_read($wait)) { my $l = <$c>;"
          + " if (defined $l) { chomp $l; $who = $l } else { $who = 'ERR closed' } }"
          + " print \"$src $sport $who\\n\"; close $c }";

  /**
   * One connection from each of {@code sources} (an address may come several times), in order, each
   * waiting at most {@code wait} for its answer.
   */
  List<Answer> connect(Collection<String> sources, Duration wait) throws Exception {
    Path list = Files.createTempFile(lab.run.dir, "sources", ".txt");
    Files.write(list, sources);
    Result r =
        lab.client(
            Duration.ofSeconds(60).plus(wait.multipliedBy(sources.size())),
            "perl",
            "-e",
            CONNECT,
            vip,
            Integer.toString(port),
            list.toString(),
            Long.toString(Math.max(1, wait.toSeconds())));
    Files.deleteIfExists(list);
    ok(r);
    List<Answer> out = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(" ", 3);
      out.add(new Answer(f[0], Integer.parseInt(f[1]), f[2]));
    }
    assertEquals("answers: " + r.err(), sources.size(), out.size());
    return out;
  }

  private static final String HOLD =
      "use IO::Socket::INET; use IO::Select; $| = 1;"
          + " my ($vip, $port, $stop, @src) = @ARGV; my @c; my %who; my %err; my %n;"
          + " for my $s (@src) { my $c = IO::Socket::INET->new(PeerAddr => $vip,"
          + " PeerPort => $port, LocalAddr => $s, Proto => 'tcp', Timeout => 5)"
          + " or die \"connect from $s: $!\"; my $l = <$c>; chomp $l; $who{$c} = $l;"
          + " $err{$c} = ''; $n{$c} = 0; push @c, $c }"
          + " print \"ready\\n\";"
          + " while (! -e $stop) { for my $c (@c) { next if $err{$c} ne '';"
          + " if (!print $c \"ping\\n\") { $err{$c} = \"write $!\"; next }"
          + " if (!IO::Select->new($c)->can_read(3)) { $err{$c} = 'timeout'; next }"
          + " my $l = <$c>; if (!defined $l) { $err{$c} = \"read $!\"; next } chomp $l;"
          + " if ($l ne $who{$c}) { $err{$c} = \"answered by $l\"; next } $n{$c}++ }"
          + " select(undef, undef, undef, 0.1) }"
          + " for my $c (@c) { print $c->sockhost, ' ', $c->sockport, ' ', $who{$c}, ' ', $n{$c},"
          + " ' ', ($err{$c} eq '' ? 'ok' : $err{$c}), \"\\n\" }";

  /**
   * Connections from {@code sources} held open; each says {@code ping} every 100 ms and must be
   * answered by the node that accepted it, until {@link #close}.
   */
  Holder hold(List<String> sources) throws Exception {
    return new Holder(sources);
  }

  final class Holder implements AutoCloseable {
    private final Process process;
    private final Path stop;
    private final BufferedReader out;
    private List<String> report;

    private Holder(List<String> sources) throws Exception {
      stop = lab.run.dir.resolve("holder-stop-" + System.nanoTime());
      List<String> c =
          new ArrayList<>(
              List.of(
                  "ip",
                  "netns",
                  "exec",
                  lab.network().client,
                  "perl",
                  "-e",
                  HOLD,
                  vip,
                  Integer.toString(port),
                  stop.toString()));
      c.addAll(sources);
      process =
          new ProcessBuilder(c)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF8));
      String first = out.readLine();
      if (!"ready".equals(first)) {
        close();
        throw new AssertionError("the holder did not open its connections: " + first);
      }
    }

    /**
     * Stops talking; one line per connection: {@code address port node pings ok|why}; fails unless
     * every connection was answered by its node all along.
     */
    List<String> finish() throws Exception {
      Files.writeString(stop, "");
      List<String> lines = new ArrayList<>();
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
      }
      assertTrue("holder still running", process.waitFor(30, TimeUnit.SECONDS));
      report = lines;
      for (String l : lines) {
        String[] f = l.split(" ", 5);
        assertEquals("connection " + l + " of " + lines, "ok", f[4]);
        assertTrue("no ping answered: " + l, Integer.parseInt(f[3]) > 0);
      }
      return lines;
    }

    @Override
    public void close() throws IOException {
      process.destroyForcibly();
      Files.deleteIfExists(stop);
    }

    List<String> report() {
      return report;
    }
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
}
