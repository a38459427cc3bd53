package org.bulwark.module.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.bulwark.api.checker.ProcessTable;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.rfs.SyncDate;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.EventLog;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;
import org.bulwark.module.internal.VerbSupport.Args;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The module control verbs of {@code safekit} (spec F.3, F.4, E.5): start, stop, restart …, the
 * mirror role commands, the waits, {@code state}, {@code printi|printw|printe}. Each is a {@link
 * CliVerb} service; all of them act through the module's event loop.
 */
@Component(immediate = true)
public final class ModuleVerbs {
  private final ModuleExtender modules;
  private final EventLog events;
  private final List<ServiceRegistration<CliVerb>> registrations = new ArrayList<>();

  // the process table of errd, for safekit -r errdpoll_running; the verbs work without it
  @Reference(
      cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
      policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
  private volatile ProcessTable processes;

  @Activate
  public ModuleVerbs(
      BundleContext context, @Reference ModuleExtender modules, @Reference EventLog events) {
    this.modules = modules;
    this.events = events;
    for (CliVerb verb : verbs()) {
      registrations.add(context.registerService(CliVerb.class, verb, null));
    }
  }

  @Deactivate
  void deactivate() {
    registrations.forEach(ServiceRegistration::unregister);
  }

  List<CliVerb> verbs() {
    List<CliVerb> verbs = new ArrayList<>();
    verbs.add(control(Verb.START, "start the module", "", false));
    verbs.add(control(Verb.STOP, "stop the module", "[-i identity]", true));
    verbs.add(
        control(
            Verb.RESTART,
            "restart the application (stop and start scripts)",
            "[-i identity]",
            true));
    verbs.add(
        control(Verb.STOPSTART, "stop the module, then start it again", "[-i identity]", true));
    verbs.add(control(Verb.FORCESTOP, "force the stop when stop has no effect", "", false));
    verbs.add(control(Verb.PRIM, "mirror: force start as primary", "[fullsync]", false));
    verbs.add(control(Verb.SECOND, "mirror: force start as secondary", "[fullsync]", false));
    verbs.add(
        control(
            Verb.SWAP,
            "mirror: exchange the primary and secondary roles",
            "[nosync] [-i identity]",
            true));
    verbs.add(
        control(Verb.PRIMFORCE, "mirror: force primary despite possible inconsistency", "", false));
    verbs.add(
        control(
            Verb.SECONDFORCE,
            "mirror: start secondary, syncing files newer than a date",
            "-d <date>",
            false));
    verbs.add(failover());
    verbs.add(new UpdateVerb(this::module));
    verbs.add(
        loop(Verb.INCLOOP, "count one error for maxloop (errd handlers); exit 1 at the limit"));
    verbs.add(loop(Verb.RESETLOOP, "reset the maxloop counter"));
    verbs.add(loop(Verb.CHECKLOOP, "exit 1 when the maxloop limit is reached, else 0"));
    verbs.add(shutdown());
    verbs.add(new StateVerb(modules));
    verbs.add(new InternalVerb(modules, () -> java.util.Optional.ofNullable(processes)));
    for (LogVerb.Mode mode : LogVerb.Mode.values()) {
      verbs.add(new LogVerb(modules, events, mode));
    }
    verbs.addAll(new SettingVerbs(this::module, this::all).verbs());
    verbs.add(ErrdVerb.verb(this::module, this::userVar));
    verbs.add(
        waitFor(
            "waitstart",
            "wait until the module has started",
            s -> s.state() != ModuleState.STOP && s.readiness() != Readiness.TRANSIENT));
    verbs.add(
        waitFor(
            "waitstop", "wait until the module is stopped", s -> s.state() == ModuleState.STOP));
    verbs.add(waitState());
    verbs.add(
        print("printi", EventLevel.I, "write an information line in the module's verbose log"));
    verbs.add(print("printw", EventLevel.W, "write a warning line in the module log"));
    verbs.add(print("printe", EventLevel.E, "write a line in the module log"));
    return verbs;
  }

  List<ModuleRuntime> all() {
    return modules.runtimes().stream().sorted((a, b) -> a.name.compareTo(b.name)).toList();
  }

  /** {@code SAFEUSERVAR} of a module. */
  java.nio.file.Path userVar(String module) {
    return modules.directories().userVar(module);
  }

  ModuleRuntime module(CliRequest request) {
    if (request.module() == null) {
      throw new IllegalArgumentException("no module given: use -m AM");
    }
    return modules
        .runtime(request.module())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "module " + request.module() + " is not installed or not configured"));
  }

  private CliVerb control(Verb verb, String summary, String options, boolean identity) {
    String word = verb.word();
    String usage =
        "Usage: safekit "
            + word
            + (options.isEmpty() ? "" : " " + options)
            + " -m AM\n  "
            + summary;
    return new VerbSupport(
        word,
        summary,
        usage,
        true,
        (request, out) -> {
          Args args = new Args(request.args());
          String id = identity ? args.option("-i") : null;
          String argument = argument(verb, args);
          args.end();
          Origin origin = id == null ? Origin.admin(request.actor()) : Origin.identity(id);
          return answer(module(request).command(verb, origin, argument), out);
        });
  }

  /** The argument a control verb passes to the automaton (spec F.3): fullsync, nosync, a date. */
  static String argument(Verb verb, Args args) {
    return switch (verb) {
      case PRIM, SECOND -> args.flag("fullsync") ? "fullsync" : "";
      case SWAP -> args.flag("nosync") ? "nosync" : "";
      case SECONDFORCE -> {
        String date = args.option("-d");
        if (date == null) {
          throw new IllegalArgumentException("secondforce needs -d <date>");
        }
        SyncDate.parse(date, java.time.ZoneId.systemDefault()); // a clear error before anything
        yield date;
      }
      default -> "";
    };
  }

  private CliVerb failover() {
    return new VerbSupport(
        "failover",
        "mirror: automatic failover on or off (persistent)",
        "Usage: safekit failover on|off -m AM\n  With off, the secondary waits for an explicit prim.",
        true,
        (request, out) -> {
          Args args = new Args(request.args());
          String onOff = args.next();
          args.end();
          if (!"on".equals(onOff) && !"off".equals(onOff)) {
            throw new IllegalArgumentException("failover takes on or off");
          }
          Verb verb = onOff.equals("on") ? Verb.FAILOVER_ON : Verb.FAILOVER_OFF;
          ModuleRuntime m = module(request);
          int code = answer(m.command(verb, Origin.admin(request.actor()), ""), out);
          if (code == CliExit.OK) {
            m.toggled(); // spec F.3: the module's update, if it runs
          }
          return code;
        });
  }

  private CliVerb loop(Verb verb, String summary) {
    String word = verb.name().toLowerCase(Locale.ROOT);
    return new VerbSupport(
        word,
        summary,
        "Usage: safekit " + word + " [-i identity] -m AM\n  " + summary + " (spec B.3).",
        verb != Verb.CHECKLOOP,
        (request, out) -> {
          Args args = new Args(request.args());
          String id = args.option("-i");
          args.end();
          Origin origin = id == null ? Origin.admin(request.actor()) : Origin.identity(id);
          Action.Reply r = within(module(request).command(verb, origin, ""), ANSWER, "answer");
          if (!r.accepted()) {
            out.err().println(r.message());
            return CliExit.FAILED;
          }
          return CliExit.OK;
        });
  }

  private CliVerb shutdown() {
    return new VerbSupport(
        "shutdown",
        "stop every running module of this node",
        "Usage: safekit shutdown\n  Stops every module (as at operating system shutdown).",
        true,
        (request, out) -> {
          new Args(request.args()).end();
          List<CompletableFuture<LocalState>> stopped = new ArrayList<>();
          Duration limit = Duration.ZERO;
          for (ModuleRuntime m : modules.runtimes()) {
            if (m.local().state() != ModuleState.STOP) {
              within(m.command(Verb.SHUTDOWN, Origin.admin(request.actor()), ""), ANSWER, "answer");
              stopped.add(m.await(s -> s.state() == ModuleState.STOP));
              limit = limit.compareTo(m.stopLimit()) < 0 ? m.stopLimit() : limit;
            }
          }
          within(
              CompletableFuture.allOf(stopped.toArray(new CompletableFuture<?>[0])), limit, "stop");
          return CliExit.OK;
        });
  }

  private CliVerb waitFor(String name, String summary, Predicate<LocalState> until) {
    return new VerbSupport(
        name,
        summary,
        "Usage: safekit "
            + name
            + " [-t seconds] -m AM\n  "
            + summary
            + " (exit 1 if it ends stopped, or after -t seconds, "
            + DEFAULT_WAIT.toSeconds()
            + " by default).",
        true, // journaled: a script stuck in a wait shows in the commands log
        (request, out) -> {
          Args args = new Args(request.args());
          Duration limit = waitLimit(args);
          args.end();
          ModuleRuntime m = module(request);
          LocalState reached = within(m.await(until), limit, "reach the state waited for");
          if (name.equals("waitstart") && reached.state() == ModuleState.STOP) {
            out.err().println("Module " + m.name + " is stopped");
            return CliExit.FAILED;
          }
          return CliExit.OK;
        });
  }

  private CliVerb waitState() {
    return new VerbSupport(
        "waitstate",
        "wait until the module reaches a state",
        "Usage: safekit waitstate [-t seconds] -m AM STOP|WAIT|ALONE|UP|PRIM|SECOND\n"
            + "  Waits until the module is in that state and not in transition (exit 1 after -t"
            + " seconds, "
            + DEFAULT_WAIT.toSeconds()
            + " by default).",
        true, // journaled: a script stuck in a wait shows in the commands log
        (request, out) -> {
          Args args = new Args(request.args());
          Duration limit = waitLimit(args);
          String wanted = args.next();
          args.end();
          ModuleState state;
          try {
            state = ModuleState.valueOf(wanted == null ? "" : wanted.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "waitstate takes STOP, WAIT, ALONE, UP, PRIM or SECOND, not '" + wanted + "'");
          }
          if (state == ModuleState.UNKNOWN) {
            throw new IllegalArgumentException("waitstate cannot wait for UNKNOWN");
          }
          within(
              module(request)
                  .await(s -> s.state() == state && s.readiness() != Readiness.TRANSIENT),
              limit,
              "reach " + state);
          return CliExit.OK;
        });
  }

  private CliVerb print(String name, EventLevel level, String summary) {
    return new VerbSupport(
        name,
        summary,
        "Usage: safekit "
            + name
            + " [-i identity] \"message\" -m AM\n  "
            + summary
            + " (inside scripts -m is implicit).",
        false,
        (request, out) -> {
          Args args = new Args(request.args());
          String id = args.option("-i");
          String message = args.next();
          args.end();
          if (message == null) {
            throw new IllegalArgumentException(name + " needs a message");
          }
          within(
              module(request).print(level, id == null ? "userplug" : id, message),
              ANSWER,
              "log it");
          return CliExit.OK;
        });
  }

  /** How long a command waits for its module's answer: the loop never blocks, so this is ample. */
  static final Duration ANSWER = Duration.ofSeconds(60);

  /** How long the wait verbs wait by default (spec F.3 gives no bound; every wait has one here). */
  static final Duration DEFAULT_WAIT = Duration.ofHours(1);

  private static Duration waitLimit(Args args) {
    String t = args.option("-t");
    if (t == null) {
      return DEFAULT_WAIT;
    }
    try {
      long seconds = Long.parseLong(t);
      if (seconds >= 1 && seconds <= Duration.ofDays(7).toSeconds()) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("-t takes a number of seconds from 1 to 604800, not " + t);
  }

  /**
   * The value of a module's future, waiting at most {@code limit}: a module that is removed or does
   * not {@code what} in time gives a clear error, never a hung command.
   */
  static <T> T within(CompletableFuture<T> future, Duration limit, String what) {
    try {
      return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      String after = limit.toMillis() < 1000 ? limit.toMillis() + " ms" : limit.toSeconds() + " s";
      throw new IllegalStateException("the module did not " + what + " within " + after);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IllegalStateException(
          cause.getMessage() == null ? cause.toString() : cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the module");
    }
  }

  private static int answer(CompletableFuture<Action.Reply> reply, CliOutput out) {
    Action.Reply r = within(reply, ANSWER, "answer");
    if (!r.accepted()) {
      out.err().println("Error: " + r.message());
      return CliExit.FAILED;
    }
    return CliExit.OK;
  }
}
