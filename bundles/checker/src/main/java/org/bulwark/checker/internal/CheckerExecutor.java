package org.bulwark.checker.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerProvider;
import org.bulwark.api.checker.CheckerService;
import org.bulwark.api.checker.CheckerSession;
import org.bulwark.api.checker.CheckerTarget;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.store.EventLevel;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central executor of the checkers (issue 11, DESIGN: checkers): every checker bundle's
 * provider turns a module's configuration into checks; this component runs them, one {@link
 * CheckerRun} per module, on one timer thread and a pool of probe threads shared by all modules. A
 * provider that comes or goes changes the sessions opened after it.
 */
@Component(service = CheckerService.class, immediate = true)
public final class CheckerExecutor implements CheckerService {
  private static final Logger LOG = LoggerFactory.getLogger(CheckerExecutor.class);

  private final List<CheckerProvider> providers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(daemon("checker-timer"));
  private final ExecutorService probes = Executors.newCachedThreadPool(daemon("checker-probe"));
  private final Clock clock;

  public CheckerExecutor() {
    this(Clock.systemUTC());
  }

  CheckerExecutor(Clock clock) {
    this.clock = clock;
  }

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      service = CheckerProvider.class)
  public void addProvider(CheckerProvider provider) {
    providers.add(provider);
  }

  public void removeProvider(CheckerProvider provider) {
    providers.remove(provider);
  }

  @Override
  public CheckerSession open(CheckerContext context, CheckerTarget target) {
    List<Watch> checks = new ArrayList<>();
    for (CheckerProvider p : providers) {
      try {
        checks.addAll(p.checks(context));
      } catch (RuntimeException e) {
        // a checker's bug must not keep the module from running: say so in its log
        LOG.error("Checker {} failed on module {}", p.type(), context.module(), e);
        target.log(
            EventLevel.E, "checker", "Checker " + p.type() + " not started: " + e.getMessage());
      }
    }
    if (checks.isEmpty()) {
      return CheckerSession.NONE;
    }
    return new CheckerRun(context, target, checks, clock, timer, probes);
  }

  @Deactivate
  public void deactivate() {
    timer.shutdownNow();
    probes.shutdownNow();
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
