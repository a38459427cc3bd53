package org.bulwark.module.internal;

import java.util.List;
import org.bulwark.api.module.LocalState;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.Event;
import org.bulwark.automaton.FarmDriver;
import org.bulwark.automaton.HeartbeatMessage;
import org.bulwark.automaton.MirrorDriver;

/**
 * The automaton of one module, whatever its kind: the runtime feeds it events with the time and
 * executes the actions it returns. Confined to the module's event loop.
 */
interface ModuleAutomaton {

  List<Action> command(Event.Command command, long now);

  List<Action> scriptDone(long token, int exitCode, long now);

  List<Action> tick(long now);

  LocalState local();

  /** When {@link #tick} must run next at the latest. */
  long nextWakeup(long now);

  /** Mirror modules: the data freshness to persist (spec C.4). */
  default java.util.Optional<org.bulwark.automaton.DataFreshness> data() {
    return java.util.Optional.empty();
  }

  /** A heartbeat arrived on lan {@code ident} (mirror modules only). */
  default List<Action> heartbeat(String ident, HeartbeatMessage message, long now) {
    return List.of();
  }

  /** Replication reports the end of a reintegration (mirror modules only, spec C.4). */
  default List<Action> reintegration(boolean ok, long now) {
    return List.of();
  }

  /** Farm and light modules (spec D.1): a tick now and then keeps the maxloop window current. */
  static ModuleAutomaton of(FarmDriver driver) {
    return new ModuleAutomaton() {
      @Override
      public List<Action> command(Event.Command command, long now) {
        return driver.command(command, now);
      }

      @Override
      public List<Action> scriptDone(long token, int exitCode, long now) {
        return driver.scriptDone(token, exitCode, now);
      }

      @Override
      public List<Action> tick(long now) {
        return driver.tick(now);
      }

      @Override
      public LocalState local() {
        return driver.state().local();
      }

      @Override
      public long nextWakeup(long now) {
        return now + 5_000;
      }
    };
  }

  /** Mirror modules (spec C): heartbeats and timeouts decide the next wakeup. */
  static ModuleAutomaton of(MirrorDriver driver) {
    return new ModuleAutomaton() {
      @Override
      public List<Action> command(Event.Command command, long now) {
        return driver.command(command, now);
      }

      @Override
      public List<Action> scriptDone(long token, int exitCode, long now) {
        return driver.scriptDone(token, exitCode, now);
      }

      @Override
      public List<Action> tick(long now) {
        return driver.tick(now);
      }

      @Override
      public LocalState local() {
        return driver.state().local();
      }

      @Override
      public java.util.Optional<org.bulwark.automaton.DataFreshness> data() {
        return java.util.Optional.of(driver.state().data());
      }

      @Override
      public long nextWakeup(long now) {
        return Math.max(now + 10, driver.nextWakeup());
      }

      @Override
      public List<Action> heartbeat(String ident, HeartbeatMessage message, long now) {
        return driver.heartbeat(ident, message, now);
      }

      @Override
      public List<Action> reintegration(boolean ok, long now) {
        return driver.reintegration(ok, now);
      }
    };
  }
}
