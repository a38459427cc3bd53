package org.bulwark.checker.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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

  // guarded by runs
  private final List<CheckerProvider> providers = new ArrayList<>();
  // the open sessions; guarded by itself
  private final java.util.Set<CheckerRun> runs = new java.util.LinkedHashSet<>();
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
    synchronized (runs) {
      providers.add(provider);
      // a checker bundle that starts after a module was opened (at boot) adds its checks to it
      runs.forEach(r -> r.add(provider, checks(provider, r.context(), r.target())));
    }
  }

  public void removeProvider(CheckerProvider provider) {
    synchronized (runs) {
      providers.remove(provider);
      runs.forEach(r -> r.retire(provider));
    }
  }

  @Override
  public CheckerSession open(CheckerContext context, CheckerTarget target) {
    CheckerRun run = new CheckerRun(context, target, clock, timer, probes);
    synchronized (runs) {
      for (CheckerProvider p : providers) {
        run.add(p, checks(p, context, target));
      }
      runs.add(run);
    }
    run.onClose(
        r -> {
          synchronized (runs) {
            runs.remove(r);
          }
        });
    return run;
  }

  /** A provider's checks of a module; a provider that fails is logged and gives none. */
  private static List<Watch> checks(
      CheckerProvider p, CheckerContext context, CheckerTarget target) {
    try {
      return p.checks(context);
    } catch (RuntimeException e) {
      // a checker's bug must not keep the module from running: say so in its log
      LOG.error("Checker {} failed on module {}", p.type(), context.module(), e);
      target.log(
          EventLevel.E, "checker", "Checker " + p.type() + " not started: " + e.getMessage());
      return List.of();
    }
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
