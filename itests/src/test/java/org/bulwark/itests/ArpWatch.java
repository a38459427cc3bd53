package org.bulwark.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who answers ARP for an address, all the time: {@code arping} runs in the client's namespace for
 * the whole test, five requests a second (its output line-buffered, so that each answer is read
 * when it comes), and every answer is kept with the time it came. The test says when one node alone
 * must answer ({@link #expect}) and when a failover runs ({@link #failover}); {@link #violations}
 * then lists every answer of another node during a steady period, and every steady second that went
 * unanswered. {@link #close} stops arping.
 */
final class ArpWatch implements AutoCloseable {
  private static final Pattern REPLY = Pattern.compile("bytes from ([0-9a-f:]{17}) \\(");

  /** The longest a steady period may go without any answer. */
  private static final Duration SILENCE = Duration.ofSeconds(2);

  private final Process arping;
  private final Thread reader;
  private final long origin = System.nanoTime();

  // guarded by this
  private final List<Reply> replies = new ArrayList<>();
  private final List<Period> periods = new ArrayList<>();
  private Period current;

  private record Reply(long at, String mac) {}

  private record Period(String who, String mac, long from, long to) {}

  private ArpWatch(Process arping) {
    this.arping = arping;
    this.reader = new Thread(this::read, "arp-watch");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts arping for {@code address} on {@code eth0} of namespace {@code netns}. */
  static ArpWatch start(String netns, String address) throws IOException {
    Process p =
        new ProcessBuilder(
                "ip", "netns", "exec", netns, "stdbuf", "-oL", "arping", "-i", "eth0", "-W", "0.2",
                address)
            .redirectErrorStream(true)
            .start();
    return new ArpWatch(p);
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(arping.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        Matcher m = REPLY.matcher(line);
        if (m.find()) {
          synchronized (this) {
            replies.add(new Reply(System.nanoTime(), m.group(1)));
          }
        }
      }
    } catch (IOException closed) {
      // arping stopped
    }
  }

  /** From now on only {@code mac} ({@code who}) may answer, until the next call. */
  synchronized void expect(String who, String mac) {
    end();
    current = new Period(who, mac, System.nanoTime(), 0);
  }

  /** A failover begins: answers are not checked until the next {@link #expect}. */
  synchronized void failover() {
    end();
  }

  private void end() {
    if (current != null) {
      periods.add(new Period(current.who, current.mac, current.from, System.nanoTime()));
      current = null;
    }
  }

  /** Every answer of another MAC in a steady period, and every silence longer than 2 s in one. */
  synchronized List<String> violations() {
    end();
    List<String> out = new ArrayList<>();
    for (Period p : periods) {
      long last = p.from;
      for (Reply r : replies) {
        if (r.at < p.from || r.at > p.to) {
          continue;
        }
        if (!r.mac.equals(p.mac)) {
          out.add(at(r.at) + ": " + r.mac + " answered while only " + p.who + " may");
        }
        if (r.at - last > SILENCE.toNanos()) {
          out.add(at(last) + " to " + at(r.at) + ": nobody answered (" + p.who + " expected)");
        }
        last = r.at;
      }
      if (p.to - last > SILENCE.toNanos()) {
        out.add(at(last) + " to " + at(p.to) + ": nobody answered (" + p.who + " expected)");
      }
    }
    return out;
  }

  /** How many answers came in steady periods (that the watch watched at all). */
  synchronized int checkedAnswers() {
    int n = 0;
    for (Period p : periods) {
      for (Reply r : replies) {
        n += r.at >= p.from && r.at <= p.to ? 1 : 0;
      }
    }
    return n;
  }

  private String at(long nanos) {
    return String.format("%.2f s", (nanos - origin) / 1e9);
  }

  @Override
  public void close() throws InterruptedException {
    arping.destroyForcibly();
    arping.waitFor(10, TimeUnit.SECONDS);
    reader.join(TimeUnit.SECONDS.toMillis(10));
  }
}
