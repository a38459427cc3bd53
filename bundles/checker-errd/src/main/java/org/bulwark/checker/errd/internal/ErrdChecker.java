package org.bulwark.checker.errd.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerProvider;
import org.bulwark.api.checker.ProcessTable;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.config.Errd;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * errd (spec B.10): every {@code <proc>} of {@code <errd>} is a watch of resource {@code
 * proc.<name>} that counts its processes in the process table every {@code polltimer}, in its
 * {@code class}, from {@code (start_after − 1) × polltimer} after the class begins. Unlike the
 * other checkers SafeKit acts on errd itself: the watch carries its {@code action}, which the
 * executor has the runtime carry out as a command of origin {@code errd}.
 */
@Component(service = CheckerProvider.class)
public final class ErrdChecker implements CheckerProvider {
  static final String BY = "errd";

  /** A scan never waits longer than this, even with a long polltimer. */
  static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);

  private final ProcessTable processes;

  @Activate
  public ErrdChecker(@Reference ProcessTable processes) {
    this.processes = new SharedScan(processes, System::nanoTime);
  }

  @Override
  public String type() {
    return "errd";
  }

  @Override
  public List<Watch> checks(CheckerContext context) {
    Optional<Errd> errd = context.config().errd();
    if (errd.isEmpty()) {
      return List.of();
    }
    Duration poll = errd.get().polltimer();
    List<Watch> watches = new ArrayList<>();
    for (Errd.Proc p : errd.get().procs()) {
      watches.add(watch(p, poll, p.service() ? new ServiceCount() : new ProcessCount(p)));
    }
    return watches;
  }

  private Watch watch(Errd.Proc p, Duration poll, Counter counter) {
    Duration timeout = poll.compareTo(MAX_TIMEOUT) < 0 ? poll : MAX_TIMEOUT;
    return new Watch(
        p.resource(),
        BY,
        p.procClass(),
        poll,
        timeout,
        poll.multipliedBy(Math.max(0, p.startAfter() - 1)),
        1,
        1,
        true,
        Optional.of(
            new Watch.Reaction(p.action(), BY, Watch.Reaction.On.DOWN, p.restartServices())),
        t -> Instances.judge(p, counter.count(p, processes, t)));
  }

  /** How many instances of a {@code <proc>} run now. */
  interface Counter {
    Instances.Count count(Errd.Proc proc, ProcessTable table, Duration timeout);
  }

  /** The processes of a {@code <proc>} in the process table. */
  static final class ProcessCount implements Counter {
    private final ProcessMatch match;

    ProcessCount(Errd.Proc p) {
      this.match = ProcessMatch.of(p);
    }

    @Override
    public Instances.Count count(Errd.Proc proc, ProcessTable table, Duration timeout) {
      try {
        return Instances.Count.of((int) table.list().stream().filter(match::matches).count());
      } catch (java.io.IOException e) {
        return Instances.Count.unknown("process table unreadable: " + e.getMessage());
      }
    }
  }

  /** {@code service="yes"}: the unit is active, one instance, else none (systemctl is-active). */
  static final class ServiceCount implements Counter {
    @Override
    public Instances.Count count(Errd.Proc proc, ProcessTable table, Duration timeout) {
      try {
        Process p =
            new ProcessBuilder("systemctl", "is-active", "--quiet", proc.name())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          return Instances.Count.unknown("systemctl is-active " + proc.name() + " timed out");
        }
        return Instances.Count.of(p.exitValue() == 0 ? 1 : 0);
      } catch (java.io.IOException e) {
        return Instances.Count.unknown("systemctl not run: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Instances.Count.unknown("interrupted");
      }
    }
  }
}
