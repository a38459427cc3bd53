package org.bulwark.web.internal.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.env.SafeDirectories;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleKind;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStatus;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code safekit dump} and {@code safekit snapshot} over in-memory node services (spec G.12). */
public class SupportVerbsTest {
  private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private Path safe;
  private SupportServices services;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Before
  public void node() throws Exception {
    safe = tmp.getRoot().toPath();
    SafeDirectories dirs = new SafeDirectories(safe, safe.resolve("var"));
    Files.createDirectories(dirs.modules().resolve("appa"));
    Files.createDirectories(dirs.cluster());
    Files.writeString(dirs.cluster().resolve("cluster.xml"), "<cluster/>");
    NodeEnvironment env =
        new NodeEnvironment() {
          @Override
          public SafeDirectories directories() {
            return dirs;
          }

          @Override
          public String version() {
            return "1";
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
    ModuleRegistry modules =
        new ModuleRegistry() {
          @Override
          public List<ModuleStatus> modules() {
            return List.of(new ModuleStatus("appa", 1, ModuleKind.MIRROR, LocalState.STOPPED));
          }

          @Override
          public Optional<ModuleStatus> module(String name) {
            return modules().stream().filter(m -> m.name().equals(name)).findFirst();
          }
        };
    EventLog events =
        new EventLog() {
          @Override
          public long append(
              Instant time, String module, String component, EventLevel level, String message) {
            throw new UnsupportedOperationException();
          }

          @Override
          public List<EventEntry> read(String module, long after, boolean verbose, int limit) {
            return tail(module, verbose, limit);
          }

          @Override
          public List<EventEntry> tail(String module, boolean verbose, int limit) {
            List<EventEntry> rows = new ArrayList<>();
            rows.add(
                new EventEntry(1, T, module, "heart", EventLevel.E, "Local state STOP NotReady"));
            if (verbose) {
              rows.add(
                  new EventEntry(2, T, module, "userplug", EventLevel.I, "says \"hi\", twice"));
            }
            return rows;
          }
        };
    ResourceHistory resources =
        new ResourceHistory() {
          @Override
          public void record(ResourceEntry entry) {}

          @Override
          public List<ResourceEntry> current(String module) {
            return List.of(new ResourceEntry(T, module, "state.local", "STOP", "safeadmin"));
          }

          @Override
          public List<ResourceEntry> history(String module, String name, int limit) {
            return List.of(
                new ResourceEntry(T.minusSeconds(5), module, name, "PRIM", "safeadmin"),
                new ResourceEntry(T, module, name, "STOP", "safeadmin"));
          }
        };
    CommandLog commands =
        new CommandLog() {
          @Override
          public long start(String type, String module, String commandLine) {
            return 1;
          }

          @Override
          public void end(long id, int exitCode) {}

          @Override
          public void info(String type, String module, String message) {}

          @Override
          public List<CommandLogEntry> tail(int limit) {
            return List.of(
                new CommandLogEntry(
                    T, "safekit", "appa", 7, CommandLogEntry.Kind.START, "stop -m appa"));
          }
        };
    services = new SupportServices(env, modules, events, resources, commands);
  }

  private CliOutput output() {
    return CliOutput.of(new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private static CliRequest request(String verb, String module, String... args) {
    return new CliRequest(verb, List.of(args), module, null, Map.of());
  }

  private Dumps dumps(Instant at) {
    return services.dumps(Clock.fixed(at, ZoneOffset.UTC));
  }

  @Test
  public void aDumpHasTheLogsResourcesCommandsAndClusterAsTheSpecLists() throws Exception {
    Path userVar = Files.createDirectories(safe.resolve("var/modules/appa"));
    Files.writeString(userVar.resolve("userlog_2026-12-05T100000_start_prim.ulog"), "started\n");
    Path dump = dumps(T).dump("appa");
    assertEquals(
        "started\n",
        Files.readString(dump.resolve("userlog/userlog_2026-12-05T100000_start_prim.ulog")));
    assertEquals(safe.resolve("var/snapshot/modules/appa/dump_2026_12_05_10_00_00"), dump);
    assertEquals(
        "| 2026-12-05 10:00:00.000000 | heart | E | Local state STOP NotReady\n",
        Files.readString(dump.resolve("log.txt")));
    assertTrue(Files.readString(dump.resolve("logverbose.txt")).contains("| userplug | I |"));
    assertEquals(
        "seq,time,component,level,message\n"
            + "1,2026-12-05T10:00:00Z,heart,E,Local state STOP NotReady\n"
            + "2,2026-12-05T10:00:00Z,userplug,I,\"says \"\"hi\"\", twice\"\n",
        Files.readString(dump.resolve("csv/logverbose.csv")));
    assertTrue(
        Files.readString(dump.resolve("csv/resourcelog.csv")).contains(",state.local,PRIM,"));
    assertTrue(Files.readString(dump.resolve("csv/resource.csv")).contains("state.local,STOP,"));
    assertTrue(Files.readString(dump.resolve("csv/commandlog.csv")).contains("START,stop -m appa"));
    assertTrue(Files.readString(dump.resolve("commandlog.txt")).contains("| START | stop -m appa"));
    assertTrue(
        Files.readString(dump.resolve("csv/modules.csv")).contains("appa,1,MIRROR,STOP NotReady"));
    assertEquals("<cluster/>", Files.readString(dump.resolve("var/cluster/cluster.xml")));
  }

  @Test
  public void onlyTheLastThreeDumpsAreKept() throws Exception {
    for (int i = 0; i < 5; i++) {
      dumps(T.plusSeconds(i)).dump("appa");
    }
    List<String> names =
        dumps(T).list("appa").stream().map(p -> p.getFileName().toString()).toList();
    assertEquals(
        List.of("dump_2026_12_05_10_00_02", "dump_2026_12_05_10_00_03", "dump_2026_12_05_10_00_04"),
        names);
  }

  @Test
  public void aSnapshotHoldsTheDumpsAndTheLastThreeConfigurations() throws Exception {
    Path saved = Files.createDirectories(safe.resolve("modules/lastconfig"));
    for (String stamp :
        List.of("20261201_080000", "20261202_080000", "20261203_080000", "20261204_080000")) {
      try (ZipOutputStream zip =
          new ZipOutputStream(Files.newOutputStream(saved.resolve("appa_" + stamp + ".safe")))) {
        zip.putNextEntry(new ZipEntry("appa/conf/userconfig.xml"));
        zip.write(("<safe>" + stamp + "</safe>").getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    Path zip = safe.resolve("snap.zip");
    int code =
        SupportVerbs.snapshot(services, request("snapshot", "appa", zip.toString()), output());
    assertEquals(err.toString(), CliExit.OK, code);
    Map<String, String> entries = new TreeMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    assertEquals(
        "<safe>20261204_080000</safe>",
        entries.get("appa/config_2026_12_04_08_00_00/module/conf/userconfig.xml"));
    assertTrue(entries.containsKey("appa/config_2026_12_02_08_00_00/module/conf/userconfig.xml"));
    assertFalse(
        entries.keySet().toString(),
        entries.keySet().stream().anyMatch(k -> k.contains("2026_12_01")));
    assertTrue(
        entries.keySet().toString(),
        entries.keySet().stream().anyMatch(k -> k.matches("appa/dump_[0-9_]+/log\\.txt")));
    assertTrue(entries.containsKey("appa/tmp/"));
    assertFalse("no partial file left", Files.exists(safe.resolve(".snap.zip.partial")));
  }

  @Test
  public void badInputIsRefusedWithAMessageAndNothingWritten() throws Exception {
    assertEquals(
        CliExit.USAGE,
        SupportVerbs.snapshot(services, request("snapshot", "appa", "relative.zip"), output()));
    assertEquals(
        CliExit.USAGE, SupportVerbs.snapshot(services, request("snapshot", "appa"), output()));
    assertEquals(CliExit.USAGE, SupportVerbs.dump(services, request("dump", null), output()));
    assertEquals(CliExit.FAILED, SupportVerbs.dump(services, request("dump", "nosuch"), output()));
    assertEquals(
        CliExit.FAILED,
        SupportVerbs.snapshot(
            services,
            request("snapshot", "appa", safe.resolve("no/such/dir/x.zip").toString()),
            output()));
    assertTrue(err.toString(), err.toString().contains("module nosuch is not installed"));
    assertTrue(err.toString(), err.toString().contains("/absolute/file.zip"));
    assertFalse(Files.exists(safe.resolve("var/snapshot")));
  }
}
