package org.bulwark.module.internal;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bulwark.api.module.LocalState;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.DataFreshness;
import org.bulwark.automaton.Event;
import org.bulwark.automaton.HeartbeatMessage;
import org.bulwark.automaton.ModuleDriver;

/** A driver that throws once, on its next tick or command, when armed: a bug in a step. */
final class FlakyDriver implements ModuleDriver {
  private final ModuleDriver delegate;
  final AtomicBoolean tickBomb = new AtomicBoolean();
  final AtomicBoolean commandBomb = new AtomicBoolean();
  final CountDownLatch exploded = new CountDownLatch(1);

  FlakyDriver(ModuleDriver delegate) {
    this.delegate = delegate;
  }

  private void maybeThrow(AtomicBoolean bomb, String where) {
    if (bomb.compareAndSet(true, false)) {
      exploded.countDown();
      throw new IllegalStateException("injected failure in " + where);
    }
  }

  @Override
  public List<Action> command(Event.Command command, long now) {
    maybeThrow(commandBomb, "command");
    return delegate.command(command, now);
  }

  @Override
  public List<Action> scriptDone(long token, int exitCode, long now) {
    return delegate.scriptDone(token, exitCode, now);
  }

  @Override
  public List<Action> tick(long now) {
    maybeThrow(tickBomb, "tick");
    return delegate.tick(now);
  }

  @Override
  public LocalState local() {
    return delegate.local();
  }

  @Override
  public long nextWakeup(long now) {
    return delegate.nextWakeup(now);
  }

  @Override
  public java.util.Optional<DataFreshness> data() {
    return delegate.data();
  }

  @Override
  public List<Action> heartbeat(String ident, HeartbeatMessage message, long now) {
    return delegate.heartbeat(ident, message, now);
  }

  @Override
  public List<Action> reintegration(boolean ok, long now) {
    return delegate.reintegration(ok, now);
  }
}
