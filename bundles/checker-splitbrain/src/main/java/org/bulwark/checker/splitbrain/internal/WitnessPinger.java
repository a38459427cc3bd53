package org.bulwark.checker.splitbrain.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.checker.Pinger;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.SplitBrainWitness;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code <splitbrain exec="ping" arg="W1 [W2 …]">} (spec B.18): the witnesses, asked through the
 * ICMP driver when every heartbeat is lost (spec C.8). One lost echo must not make a node wait for
 * good: the round goes over the witnesses {@link #ROUNDS} times, each echo waiting {@link #ECHO},
 * and ends at the first answer.
 */
@Component(service = SplitBrainWitness.class)
public final class WitnessPinger implements SplitBrainWitness {
  static final int ROUNDS = 3;
  static final Duration ECHO = Duration.ofSeconds(1);

  private final Pinger pinger;

  @Activate
  public WitnessPinger(@Reference Pinger pinger) {
    this.pinger = pinger;
  }

  @Override
  public ProbeResult ask(List<String> witnesses) {
    if (witnesses.isEmpty()) {
      return ProbeResult.down("no witness configured");
    }
    List<String> why = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      why.clear();
      for (String witness : witnesses) {
        Optional<String> failure;
        try {
          failure = pinger.echo(InetAddress.getByName(witness), ECHO);
        } catch (UnknownHostException e) {
          failure = Optional.of("does not resolve");
        }
        if (failure.isEmpty()) {
          return ProbeResult.up(witness + " answers");
        }
        why.add(witness + ": " + failure.get());
      }
    }
    return ProbeResult.down(String.join(", ", why));
  }
}
