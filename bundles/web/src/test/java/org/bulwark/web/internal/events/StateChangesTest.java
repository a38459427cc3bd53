package org.bulwark.web.internal.events;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.util.List;
import org.bulwark.web.internal.events.StateChanges.Look;
import org.junit.Test;

public class StateChangesTest {
  private static final Instant T0 = Instant.parse("2026-12-05T03:00:00Z");

  @Test
  public void firstLookNewModulesChangesAndGoneModulesAreEvents() {
    StateChanges changes = new StateChanges();
    assertEquals(
        List.of(
            new StateEvent("a", "STOP NotReady", null, T0.toString()),
            new StateEvent("b", "WAIT Transient", "PRIM", T0.toString())),
        changes.step(
            List.of(new Look("a", "STOP NotReady", null), new Look("b", "WAIT Transient", "PRIM")),
            T0));
    Instant t1 = T0.plusMillis(50);
    // nothing changed: no event
    assertEquals(
        List.of(),
        changes.step(
            List.of(new Look("a", "STOP NotReady", null), new Look("b", "WAIT Transient", "PRIM")),
            t1));
    // b's peer changed, a is gone, c is new
    assertEquals(
        List.of(
            new StateEvent("b", "WAIT Transient", "STOP", t1.toString()),
            new StateEvent("c", "UP Ready", null, t1.toString()),
            new StateEvent("a", null, null, t1.toString())),
        changes.step(
            List.of(new Look("b", "WAIT Transient", "STOP"), new Look("c", "UP Ready", null)), t1));
    assertEquals(
        List.of(
            new StateEvent("b", "WAIT Transient", "STOP", T0.toString()),
            new StateEvent("c", "UP Ready", null, T0.toString())),
        changes.snapshot(T0));
  }
}
