package org.bulwark.checker.ping.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerProvider;
import org.bulwark.api.checker.Pinger;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.config.Check;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code <ping>} (spec B.13): ICMP echoes to its {@code <to>} addresses; resource {@code
 * ping.<ident>}, process {@code pingcheck}, by default in every running state ({@code when="pre"},
 * rule {@code p_<ident>}: wait). Up while at least one address answers — as for the split-brain
 * witnesses (spec B.18) — tested every shortest {@code interval} of its {@code <to>}s, each echo
 * waiting its own {@code timeout}.
 */
@Component(service = CheckerProvider.class)
public final class PingChecker implements CheckerProvider {
  static final String BY = "pingcheck";

  private final Pinger pinger;

  @Activate
  public PingChecker(@Reference Pinger pinger) {
    this.pinger = pinger;
  }

  @Override
  public String type() {
    return "ping";
  }

  @Override
  public List<Watch> checks(CheckerContext context) {
    return context.config().check().ping().stream().map(this::watch).toList();
  }

  Watch watch(Check.Ping ping) {
    List<Check.PingTarget> targets = ping.targets();
    Duration interval =
        targets.stream().map(Check.PingTarget::interval).min(Duration::compareTo).orElseThrow();
    Duration timeout =
        targets.stream()
            .map(Check.PingTarget::timeout)
            .reduce(Duration.ZERO, Duration::plus); // the echoes go one after the other
    return Watch.of(
        "ping." + ping.ident(),
        BY,
        Watch.phase(ping.when()),
        interval,
        timeout,
        t -> echo(targets));
  }

  /** Up at the first address that answers; down with every address's reason. */
  ProbeResult echo(List<Check.PingTarget> targets) {
    List<String> why = new ArrayList<>();
    for (Check.PingTarget to : targets) {
      Optional<String> failure;
      try {
        failure = pinger.echo(InetAddress.getByName(to.addr()), to.timeout());
      } catch (UnknownHostException e) {
        failure = Optional.of("does not resolve");
      }
      if (failure.isEmpty()) {
        return ProbeResult.up(to.addr() + " answers");
      }
      why.add(to.addr() + ": " + failure.get());
    }
    return ProbeResult.down(String.join(", ", why));
  }
}
