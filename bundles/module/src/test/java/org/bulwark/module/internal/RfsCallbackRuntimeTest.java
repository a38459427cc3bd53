package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleKind;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What replication asks of the module runtime (spec B.7): the {@code _rfs_*} callbacks run as the
 * module's other scripts ({@code SAFEUSERBIN/_rfs_callback <name>}, environment, user log, exit
 * code; spec E.2, E.3, E.7), and the {@code stopstart} of {@code checktime}.
 */
public class RfsCallbackRuntimeTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final Clock clock = Clock.systemUTC();
  private final MemoryStore store = new MemoryStore();
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);
  private final JournalWriter writer = new JournalWriter("journal", 10_000);
  private final PairedHeartbeats heartbeats = new PairedHeartbeats();
  private ModuleRuntime runtime;
  private Path bin;
  private Path var;

  private ModuleRuntime start() throws Exception {
    bin = tmp.newFolder("bin").toPath();
    var = tmp.newFolder("var").toPath();
    runtime =
        new ModuleRuntime(
            "mirror",
            1,
            ModuleKind.MIRROR,
            ServiceConfig.Boot.IGNORE,
            MirrorRuntimes.driver("n1", 1, clock),
            new ScriptRunner(bin, var, Map.of("SAFEMODULE", "mirror"), true, true),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            new Journal("mirror", store, store, clock, writer),
            clock,
            timers);
    runtime.connect(Optional.of(heartbeats.a), PairedHeartbeats.LINKS);
    return runtime;
  }

  @After
  public void close() {
    if (runtime != null) {
      runtime.close(Duration.ofSeconds(5));
    }
    timers.shutdownNow();
    writer.close(Duration.ofSeconds(5));
  }

  private void script(String body) throws Exception {
    Path script = bin.resolve("_rfs_callback");
    Files.writeString(script, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  public void theCallbackRunsAsAModuleScriptAndAnswersItsExitCode() throws Exception {
    start();
    script(
        "echo \"callback $1 of $SAFEMODULE\"\n"
            + "if [ \"$1\" = _rfs_pritoscd ]; then exit 2; fi\n"
            + "exit 0\n");
    ReplicationEvents events = runtime.replicationEvents();

    assertEquals(0, (int) events.runCallback("_rfs_startsynch").get(20, TimeUnit.SECONDS));
    assertEquals(2, (int) events.runCallback("_rfs_pritoscd").get(20, TimeUnit.SECONDS));
    runtime.print(org.bulwark.api.store.EventLevel.I, "test", "end").get(20, TimeUnit.SECONDS);

    assertTrue(store.messages().contains("Script _rfs_callback _rfs_startsynch"));
    assertTrue(
        store.messages().toString(),
        store.messages().stream()
            .anyMatch(
                m ->
                    m.matches(
                        "Script _rfs_callback _rfs_pritoscd ended with exit code 2"
                            + " \\(userlog_.*_rfs_callback\\.ulog\\)")));
    String logs;
    try (Stream<Path> files = Files.list(var)) {
      logs =
          files
              .filter(p -> p.getFileName().toString().endsWith("_rfs_callback.ulog"))
              .map(
                  p -> {
                    try {
                      return Files.readString(p);
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .reduce("", String::concat);
    }
    assertTrue(logs, logs.contains("callback _rfs_startsynch of mirror"));
    assertTrue(logs, logs.contains("callback _rfs_pritoscd of mirror"));
  }

  @Test
  public void withoutTheScriptTheCallbackIsSkipped() throws Exception {
    start();
    assertEquals(
        0,
        (int) runtime.replicationEvents().runCallback("_rfs_startsynch").get(20, TimeUnit.SECONDS));
    assertTrue(store.messages().stream().noneMatch(m -> m.startsWith("Script ")));
  }

  @Test
  public void aHungReplicatedFileSystemRestartsTheModule() throws Exception {
    start();
    Action.Reply prim =
        runtime.command(Verb.PRIM, Origin.admin("root"), "").get(20, TimeUnit.SECONDS);
    assertTrue(prim.message(), prim.accepted());
    MirrorRuntimes.await(
        runtime, s -> s.state() == ModuleState.ALONE && s.readiness() == Readiness.READY, LIMIT);

    CompletableFuture<LocalState> stopped = runtime.await(s -> s.state() == ModuleState.WAIT);
    runtime.replicationEvents().stopstart("replicated directory /srv/app hangs");
    stopped.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    MirrorRuntimes.await(
        runtime, s -> s.state() == ModuleState.ALONE && s.readiness() == Readiness.READY, LIMIT);

    assertTrue(
        store.messages().toString(),
        store.messages().contains("Action stopstart called by nfsadmin"));
  }
}
