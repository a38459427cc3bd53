package org.bulwark.checker.splitbrain.internal;

import static org.junit.Assert.assertEquals;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.bulwark.api.checker.ProbeResult;
import org.junit.Test;

/**
 * The witnesses' round: up at the first answer, down with every reason, a lost echo tried again
 * (the echo itself is tested between namespaces in native/net {@code IcmpPingerTest}, the whole in
 * the lab by {@code SplitBrainLabIT}).
 */
public class WitnessPingerTest {

  @Test
  public void upAtTheFirstWitnessThatAnswers() {
    AtomicInteger echoes = new AtomicInteger();
    WitnessPinger w =
        new WitnessPinger(
            (InetAddress a, Duration t) -> {
              echoes.incrementAndGet();
              return a.getHostAddress().equals("192.0.2.2")
                  ? Optional.empty()
                  : Optional.of("no reply within " + t.toMillis() + " ms");
            });
    assertEquals(
        ProbeResult.up("192.0.2.2 answers"), w.ask(List.of("192.0.2.1", "192.0.2.2", "192.0.2.3")));
    assertEquals(2, echoes.get());
  }

  @Test
  public void downWithEveryReasonAfterEveryRound() {
    AtomicInteger echoes = new AtomicInteger();
    WitnessPinger w =
        new WitnessPinger(
            (InetAddress a, Duration t) -> {
              echoes.incrementAndGet();
              return Optional.of("no reply within " + t.toMillis() + " ms");
            });
    assertEquals(
        ProbeResult.down("192.0.2.1: no reply within 1000 ms, 192.0.2.2: no reply within 1000 ms"),
        w.ask(List.of("192.0.2.1", "192.0.2.2")));
    assertEquals(2 * WitnessPinger.ROUNDS, echoes.get());
  }

  @Test
  public void aLostEchoIsTriedAgain() {
    AtomicInteger echoes = new AtomicInteger();
    WitnessPinger w =
        new WitnessPinger(
            (InetAddress a, Duration t) ->
                echoes.incrementAndGet() == 1 ? Optional.of("no reply") : Optional.empty());
    assertEquals(ProbeResult.up("192.0.2.1 answers"), w.ask(List.of("192.0.2.1")));
  }

  @Test
  public void aNameThatDoesNotResolveIsOneReason() {
    WitnessPinger w = new WitnessPinger((InetAddress a, Duration t) -> Optional.of("no reply"));
    assertEquals(
        ProbeResult.down("witness.invalid: does not resolve"), w.ask(List.of("witness.invalid")));
  }
}
