package org.bulwark.automaton;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.bulwark.api.module.LocalState;
import org.junit.Test;

/** {@code incloop}, {@code checkloop}, {@code resetloop} (spec B.3, E.5) with the defaults. */
public class LoopCommandsTest {
  private final FarmDriver driver = new FarmDriver(ServiceSettings.defaults("n1"));
  private long now = 1_000;

  private Action.Reply send(Verb verb, Origin origin) {
    List<Action> actions = driver.command(new Event.Command(verb, origin, ""), now += 10);
    return actions.stream()
        .filter(Action.Reply.class::isInstance)
        .map(Action.Reply.class::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  public void theFourthIncloopWithinTheIntervalIsRefusedAndNothingElseChanges() {
    for (int i = 0; i < 3; i++) {
      assertTrue(send(Verb.CHECKLOOP, Origin.admin("root")).accepted());
      assertTrue(send(Verb.INCLOOP, Origin.identity("handler")).accepted());
    }
    assertFalse(send(Verb.CHECKLOOP, Origin.identity("handler")).accepted());
    Action.Reply fourth = send(Verb.INCLOOP, Origin.identity("handler"));
    assertFalse(fourth.accepted());
    assertEquals("incloop: maxloop reached", fourth.message());
    assertEquals(LocalState.STOPPED, driver.state().local());
  }

  @Test
  public void resetloopZeroesTheCounter() {
    for (int i = 0; i < 3; i++) {
      send(Verb.INCLOOP, Origin.identity("handler"));
    }
    assertFalse(send(Verb.CHECKLOOP, Origin.admin("root")).accepted());
    assertTrue(send(Verb.RESETLOOP, Origin.identity("handler")).accepted());
    assertTrue(send(Verb.CHECKLOOP, Origin.admin("root")).accepted());
  }

  @Test
  public void theCounterExpiresAfterLoopInterval() {
    for (int i = 0; i < 3; i++) {
      send(Verb.INCLOOP, Origin.identity("handler"));
    }
    now += ServiceSettings.DAY_MILLIS;
    assertTrue(send(Verb.CHECKLOOP, Origin.admin("root")).accepted());
  }
}
