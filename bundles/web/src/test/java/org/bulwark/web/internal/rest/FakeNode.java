package org.bulwark.web.internal.rest;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliService;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.env.SafeDirectories;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleKind;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStatus;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.web.internal.auth.ApiKeys;
import org.bulwark.web.internal.auth.Authenticator;

/**
 * The node services the REST API faces, in memory: one module {@code appa} UP Ready with a resource
 * and log rows, a {@code safekit} that records what it is asked and answers {@link #exitCode}, a
 * cluster.xml parser that finds one error in any file.
 */
final class FakeNode {
  static final String MODULE = "appa";

  final List<List<String>> cliCalls = new CopyOnWriteArrayList<>();

  /** The files the verbs were given (an uploaded package, a cluster.xml), read during the call. */
  final Map<String, String> files = new java.util.concurrent.ConcurrentHashMap<>();

  /** What {@code module package} writes. */
  static final String PACKAGE = "PK-fake-package";

  volatile int exitCode = 0;

  /** The error the verbs print when {@link #exitCode} is not 0; {@code {file}} is their file. */
  volatile String cliError = "";

  final List<CommandLogEntry> commandRows = new CopyOnWriteArrayList<>();
  final List<EventEntry> logRows = new ArrayList<>();

  FakeNode() {
    Instant t = Instant.parse("2026-12-05T10:00:00Z");
    String[][] rows = {
      {"heart", "E", "Local state UP Ready"},
      {"userplug", "I", "start_both says hello"},
      {"heart", "U", "Action start called by admin"},
      {"errd", "C", "Process sleep not running"},
      {"heart", "E", "Local state STOP NotReady"},
    };
    for (int i = 0; i < rows.length; i++) {
      logRows.add(
          new EventEntry(
              i + 1,
              t.plusSeconds(i),
              MODULE,
              rows[i][0],
              EventLevel.valueOf(rows[i][1]),
              rows[i][2]));
    }
  }

  /** The REST API's services over this node's fakes, signing in and forwarding as given. */
  ApiServices services(
      NodeEnvironment env, Authenticator authenticator, ApiKeys keys, NodeForwarder forwarder) {
    return new ApiServices(
        env,
        cli(),
        modules(),
        events(),
        resources(),
        commands(),
        config(),
        authenticator,
        keys,
        forwarder);
  }

  NodeEnvironment env(Path safe) {
    SafeDirectories dirs = new SafeDirectories(safe, safe.resolve("var"));
    return new NodeEnvironment() {
      @Override
      public SafeDirectories directories() {
        return dirs;
      }

      @Override
      public String version() {
        return "1.2.3";
      }

      @Override
      public String hostName() {
        return "node1";
      }

      @Override
      public String bindAddress() {
        return "127.0.0.1";
      }
    };
  }

  CliService cli() {
    return new CliService() {
      @Override
      public int execute(List<String> args, Map<String, String> environment, CliOutput out) {
        cliCalls.add(List.copyOf(args));
        Path last = Path.of(args.get(Math.max(0, args.size() - 3))); // before -u origin
        try {
          if (args.get(0).equals("module") && args.get(1).equals("package")
              || args.get(0).equals("snapshot") && exitCode == 0) {
            java.nio.file.Files.writeString(last, PACKAGE);
          } else if (last.isAbsolute() && java.nio.file.Files.isRegularFile(last)) {
            files.put(last.toString(), java.nio.file.Files.readString(last));
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        if (exitCode != 0) {
          out.err().println("Error: " + cliError.replace("{file}", last.toString()));
        } else {
          out.out().println("done");
        }
        return exitCode;
      }

      @Override
      public List<String> verbs() {
        return List.of();
      }
    };
  }

  ModuleRegistry modules() {
    ModuleStatus appa =
        new ModuleStatus(
            MODULE, 1, ModuleKind.LIGHT, LocalState.of(ModuleState.UP, Readiness.READY));
    return new ModuleRegistry() {
      @Override
      public List<ModuleStatus> modules() {
        return List.of(appa);
      }

      @Override
      public Optional<ModuleStatus> module(String name) {
        return name.equals(MODULE) ? Optional.of(appa) : Optional.empty();
      }
    };
  }

  EventLog events() {
    return new EventLog() {
      @Override
      public long append(
          Instant time, String module, String component, EventLevel level, String message) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<EventEntry> read(String module, long afterSeq, boolean verbose, int limit) {
        return visible(module, verbose).stream()
            .filter(e -> e.seq() > afterSeq)
            .limit(limit)
            .toList();
      }

      @Override
      public List<EventEntry> tail(String module, boolean verbose, int limit) {
        List<EventEntry> all = visible(module, verbose);
        return all.subList(Math.max(0, all.size() - limit), all.size());
      }
    };
  }

  private List<EventEntry> visible(String module, boolean verbose) {
    return logRows.stream()
        .filter(e -> e.module().equals(module))
        .filter(e -> verbose || (e.level() != EventLevel.I && e.level() != EventLevel.D))
        .toList();
  }

  ResourceHistory resources() {
    Instant t = Instant.parse("2026-12-05T10:00:00Z");
    List<ResourceEntry> errd =
        List.of(
            new ResourceEntry(t, MODULE, "usersetting.errd", "off", "admin"),
            new ResourceEntry(t.plusSeconds(5), MODULE, "usersetting.errd", "on", "admin"));
    return new ResourceHistory() {
      @Override
      public void record(ResourceEntry entry) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<ResourceEntry> current(String module) {
        return module.equals(MODULE) ? List.of(errd.get(1)) : List.of();
      }

      @Override
      public List<ResourceEntry> history(String module, String name, int limit) {
        if (!module.equals(MODULE)) {
          return List.of();
        }
        List<ResourceEntry> all =
            switch (name) {
              case "usersetting.errd" -> errd;
              case "state.local" ->
                  List.of(
                      new ResourceEntry(t, MODULE, name, "STOP", "safeadmin"),
                      new ResourceEntry(t.plusSeconds(1), MODULE, name, "WAIT", "safeadmin"),
                      new ResourceEntry(t.plusSeconds(2), MODULE, name, "PRIM", "safeadmin"));
              case "state.remote" ->
                  List.of(
                      new ResourceEntry(t.plusSeconds(1), MODULE, name, "UNKNOWN", "heart"),
                      new ResourceEntry(t.plusSeconds(3), MODULE, name, "SECOND", "heart"));
              default -> List.of();
            };
        return all.subList(Math.max(0, all.size() - limit), all.size());
      }
    };
  }

  CommandLog commands() {
    return new CommandLog() {
      private long next = 1;

      @Override
      public synchronized long start(String type, String module, String commandLine) {
        long id = next++;
        commandRows.add(
            new CommandLogEntry(
                Instant.now(), type, module, id, CommandLogEntry.Kind.START, commandLine));
        return id;
      }

      @Override
      public void end(long id, int code) {
        commandRows.add(
            new CommandLogEntry(
                Instant.now(), "", "", id, CommandLogEntry.Kind.END, Integer.toString(code)));
      }

      @Override
      public void info(String type, String module, String message) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<CommandLogEntry> tail(int limit) {
        return List.copyOf(commandRows);
      }

      /** Row numbers are positions from 1, as the store's. */
      @Override
      public Page page(long before, int limit) {
        int end = before > 0 ? (int) Math.min(before - 1, commandRows.size()) : commandRows.size();
        int start = Math.max(0, end - limit);
        return new Page(commandRows.subList(start, end), start > 0 ? start + 1 : 0);
      }
    };
  }

  ConfigService config() {
    return new ConfigService() {
      @Override
      public ConfigResult<org.bulwark.api.config.ClusterConfig> parseCluster(
          String fileName, byte[] content) {
        return new ConfigResult.Invalid<>(
            List.of(
                new ConfigurationError(
                    fileName, 3, 7, "cluster/lans/lan", "missing attribute name", null)));
      }

      @Override
      public ConfigResult<ModuleConfig> parseModule(
          String fileName, byte[] content, ModuleContext context) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ConfigResult<org.bulwark.api.config.ClusterConfig> loadCluster(Path file) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ConfigResult<ModuleConfig> loadModule(Path file, ModuleContext context) {
        throw new UnsupportedOperationException();
      }
    };
  }
}
