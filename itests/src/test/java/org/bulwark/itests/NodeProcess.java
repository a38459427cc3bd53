package org.bulwark.itests;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real node: a private copy of the built distribution, started with {@code bin/bulwark} on its
 * own loopback address, driven through its own {@code safekit}. {@link #close()} kills what it
 * started and deletes the copy, whatever happened in the test.
 */
final class NodeProcess implements AutoCloseable {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(180);

  final Path home;
  final String address;
  final int webPort;

  /** How {@code bin/bulwark start} is run; set before the first start. */
  private volatile Launcher launcher = Launcher.DIRECT;

  /** {@code BULWARK_WEB_ADDR}, if not the node's address; set before the first start. */
  private volatile String webAddresses;

  private NodeProcess(Path home, String address, int webPort) {
    this.home = home;
    this.address = address;
    this.webPort = webPort;
  }

  /**
   * A copy of the built distribution archive in a new temporary directory: a pristine node,
   * whatever was done with {@code karaf-assembly/target/bulwark} (the demo runs a node there), with
   * only the framework's bundle cache of a first start added ({@link #template}).
   */
  static NodeProcess copy(String address, int webPort) throws IOException, InterruptedException {
    // short path: the node's socket lives under it and socket paths are limited to 108 bytes
    return copy(address, webPort, Path.of("/tmp"));
  }

  /** As {@link #copy(String, int)}, in a new directory in {@code parent} (keep its path short). */
  static NodeProcess copy(String address, int webPort, Path parent)
      throws IOException, InterruptedException {
    Path source = template();
    Path dir = Files.createTempDirectory(parent, "bwk");
    Path home = dir.resolve("node");
    try {
      copyTree(source, home);
    } catch (IOException | RuntimeException e) {
      delete(dir); // nothing left behind when the copy fails
      throw e;
    }
    return new NodeProcess(home, address, webPort);
  }

  /** Where the template node starts, once per test JVM: an address and port no test uses. */
  private static final String TEMPLATE_ADDRESS = "127.0.2.250";

  private static final int TEMPLATE_PORT = 19250;

  /** The unpacked archive plus a first start's bundle cache; made once per test JVM. */
  private static Path template;

  /**
   * The distribution as every node copies it: the archive unpacked, plus the bundle cache a first
   * start leaves in {@code data/cache} (the features resolved, the bundles installed), so that a
   * node's first start costs what a restart does (about 1.5 s and 3 s of processor less on a 2-core
   * machine: docs/benchmarks.md, Node), and the class data archive its stop writes in {@code
   * data/cds}. Nothing else of that start is kept: not the configurations the framework stores in
   * its cache (they hold the template's paths: each node makes its own from {@code etc} at its
   * first start), nor {@code etc} as the node rewrote it, nor its logs, {@code var} or lock.
   * Deleted when the test JVM exits.
   */
  private static synchronized Path template() throws IOException, InterruptedException {
    if (template != null) {
      return template;
    }
    Path archive = Path.of(System.getProperty("bulwark.distribution.archive"));
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("no built distribution at " + archive);
    }
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "bwktemplate");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    delete(dir);
                  } catch (IOException e) {
                    System.err.println("template node not deleted: " + dir + ": " + e);
                  }
                }));
    Path home = unpack(archive, dir.resolve("node"));
    Path first = dir.resolve("first"); // started once, then only its bundle cache is taken
    copyTree(home, first);
    NodeProcess started = new NodeProcess(first, TEMPLATE_ADDRESS, TEMPLATE_PORT);
    boolean stopped = false;
    try {
      ok(started.start());
      ok(started.stop());
      stopped = true;
    } finally {
      if (!stopped && Files.exists(started.home.resolve("karaf.pid"))) {
        ProcessHandle.of(started.pid()).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    Path cache = started.home.resolve("data/cache");
    try (Stream<Path> bundles = Files.list(cache)) {
      for (Path b : bundles.toList()) {
        Path config = b.resolve("data/config");
        if (Files.isDirectory(config)) {
          delete(config);
        }
      }
    }
    Files.deleteIfExists(cache.resolve("cache.lock"));
    Files.createDirectories(home.resolve("data"));
    Files.move(cache, home.resolve("data/cache"));
    // the class data archive the JVM wrote as it stopped: every copy maps it at its starts
    Path cds = started.home.resolve("data/cds");
    if (Files.isDirectory(cds)) {
      Files.move(cds, home.resolve("data/cds"));
    }
    delete(started.home);
    template = home;
    return home;
  }

  /** {@code cp -a}: modes, owners, times and links kept. */
  private static void copyTree(Path from, Path to) throws IOException, InterruptedException {
    Result cp = run(List.of("cp", "-a", from.toString(), to.toString()), Map.of());
    if (cp.exitCode != 0) {
      throw new IOException("cannot copy the distribution: " + cp.err);
    }
  }

  /** The archive unpacked at {@code home}. */
  private static Path unpack(Path archive, Path home) throws IOException, InterruptedException {
    Path into = Files.createDirectories(home.resolveSibling(home.getFileName() + "-unpacked"));
    Result untar = run(List.of("tar", "xzf", archive.toString(), "-C", into.toString()), Map.of());
    if (untar.exitCode != 0) {
      throw new IOException("cannot unpack the distribution: " + untar.err);
    }
    try (Stream<Path> top = Files.list(into)) {
      Files.move(top.findFirst().orElseThrow(), home);
    }
    delete(into);
    return home;
  }

  /**
   * How this node's {@code bin/bulwark start} is run, and what must die with the node: directly by
   * default; {@link NodeNamespace} starts it in a mount namespace of its own.
   */
  interface Launcher {
    Launcher DIRECT = start -> start;

    /** The command that runs {@code start} ({@code bin/bulwark start}). */
    List<String> command(List<String> start);

    /** Called after every start, whatever its result. */
    default void started(NodeProcess node) throws IOException {}

    /** Called by {@link #close()} before the node's JVM is killed and its copy deleted. */
    default void closing(NodeProcess node) throws IOException, InterruptedException {}
  }

  /** Runs every later start of this node with {@code launcher}. */
  void launchWith(Launcher launcher) {
    this.launcher = launcher;
  }

  Result start() throws IOException, InterruptedException {
    Launcher l = launcher;
    List<String> start = List.of(home.resolve("bin/bulwark").toString(), "start");
    try {
      Result r = run(l.command(start), nodeEnvironment());
      if (r.exitCode() == 0) {
        return r;
      }
      // the node's copy is deleted when the test ends: what went wrong goes with the failure
      return new Result(
          r.exitCode(),
          r.out(),
          r.err()
              + "--- karaf.log, warnings and errors\n"
              + troubles()
              + "--- threads of the node's JVM\n"
              + threadDump());
    } finally {
      l.started(this);
    }
  }

  /**
   * The WARN and ERROR records of karaf.log with their exceptions (each message and cause, the
   * first four frames under each), at most the last 200 lines.
   */
  String troubles() {
    List<String> lines = karafLog().lines().toList();
    List<String> picked = new ArrayList<>();
    boolean inTrouble = false;
    int frames = 0;
    for (String line : lines) {
      boolean record =
          line.length() > 4 && Character.isDigit(line.charAt(0)) && line.contains(" | ");
      if (record) {
        inTrouble = line.contains("| WARN ") || line.contains("| ERROR ");
        if (inTrouble) {
          picked.add(line);
        }
        continue;
      }
      if (!inTrouble) {
        continue;
      }
      if (line.stripLeading().startsWith("at ")) {
        if (frames++ < 4) {
          picked.add(line);
        }
      } else if (!line.stripLeading().startsWith("...")) {
        frames = 0;
        picked.add(line); // an exception's message or a cause
      }
    }
    return String.join("\n", picked.subList(Math.max(0, picked.size() - 200), picked.size()))
        + "\n";
  }

  /**
   * The node JVM's threads, if it still runs: a start that never ends may be a bundle whose
   * activator blocks (a bundle STARTING), which no log line shows. SIGQUIT makes the JVM print its
   * threads on its standard output, console.log here; at most 400 lines of the dump.
   */
  String threadDump() {
    Path console = home.resolve("data/log/console.log");
    try {
      long pid = pid();
      if (!running(pid)) {
        return "(the JVM is not running)\n";
      }
      long before = Files.exists(console) ? Files.size(console) : 0;
      run(List.of("kill", "-QUIT", Long.toString(pid)), Map.of());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        String text = Files.readString(console);
        int from = (int) Math.min(before, text.length());
        int end = text.indexOf("JNI global refs", from);
        if (end >= 0) {
          List<String> lines = text.substring(from, end).lines().toList();
          return String.join("\n", lines.subList(0, Math.min(400, lines.size()))) + "\n";
        }
        Thread.sleep(50); // polling a file another process writes, under the deadline above
      }
      return "(no thread dump in console.log within 10 s)\n";
    } catch (IOException | RuntimeException e) {
      return "(no thread dump: " + e + ")\n";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)\n";
    }
  }

  Result stop() throws IOException, InterruptedException {
    return bulwark("stop");
  }

  /** {@code bin/bulwark <action>}; start and restart go through the {@link Launcher}. */
  Result bulwark(String action) throws IOException, InterruptedException {
    if (action.equals("start")) {
      return start();
    }
    if (action.equals("restart")) {
      Result stop = stop();
      return stop.exitCode() != 0 ? stop : start();
    }
    return run(List.of(home.resolve("bin/bulwark").toString(), action), nodeEnvironment());
  }

  Result safekit(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("safekit").toString());
    command.addAll(List.of(args));
    return run(command, Map.of("SAFEKIT_WAIT", "1"));
  }

  /** The node JVM's pid, from the pid file Karaf writes. */
  long pid() throws IOException {
    return Long.parseLong(Files.readString(home.resolve("karaf.pid")).trim());
  }

  /** kill -9 of the node JVM; returns once the process is gone. */
  void kill9() throws IOException, InterruptedException {
    ProcessHandle handle =
        ProcessHandle.of(pid()).orElseThrow(() -> new IllegalStateException("node not running"));
    CompletableFuture<ProcessHandle> exited = handle.onExit();
    run(List.of("kill", "-9", Long.toString(handle.pid())), Map.of());
    try {
      exited.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node " + handle.pid() + " survived kill -9", e);
    }
  }

  /**
   * Whether a process runs: present and not a zombie. This machine's PID 1 does not reap orphans,
   * so a killed daemon may stay a zombie, which {@link ProcessHandle#isAlive} counts as alive.
   */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String afterName = stat.substring(stat.lastIndexOf(')') + 2);
      return afterName.charAt(0) != 'Z';
    } catch (IOException gone) {
      return false;
    }
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + address + ":" + webPort + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  String karafLog() {
    try {
      return Files.readString(home.resolve("data/log/karaf.log"));
    } catch (IOException e) {
      return "(no karaf.log: " + e.getMessage() + ")";
    }
  }

  /**
   * The web service listens on every address of the node's network: in a namespace of its own, so
   * that a virtual IP reaches it too (the farm's mosaic page).
   */
  void webOnEveryAddress() {
    webAddresses = "0.0.0.0";
  }

  /**
   * The tests' nodes compile with C2 only after ten times the JVM's default calls: a start then
   * costs a third less processor (most of what C2 compiles at a start runs only while the framework
   * starts), and the tests start about a hundred nodes. Not the product's setting: after a failover
   * the new primary's write path must reach C2 within seconds, and with these thresholds the 4 KiB
   * write+fsync was 30% slower in the replication benchmark's 10-second windows (benchmarks.md,
   * "Node").
   */
  private static final String LATE_C2 =
      "-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000"
          + " -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000";

  private Map<String, String> nodeEnvironment() {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("BULWARK_ADDR", address);
    env.put("BULWARK_WEB_PORT", Integer.toString(webPort));
    env.put("BULWARK_START_TIMEOUT", "150");
    env.put("EXTRA_JAVA_OPTS", LATE_C2);
    if (webAddresses != null) {
      env.put("BULWARK_WEB_ADDR", webAddresses);
    }
    return env;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      launcher.closing(this);
      if (Files.exists(home.resolve("karaf.pid"))) {
        ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(pid()).ifPresent(p -> p.onExit().join());
      }
    } finally {
      delete(home.getParent());
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** {@code r}, asserted to have ended with exit code 0: the failure shows what it printed. */
  static Result ok(Result r) {
    org.junit.Assert.assertEquals(r.toString(), 0, r.exitCode());
    return r;
  }

  /** What a command printed and returned. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  static Result run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    return run(command, env, COMMAND_TIMEOUT);
  }

  /** Runs {@code command} to its end; kills it and fails when it outlives {@code deadline}. */
  static Result run(List<String> command, Map<String, String> env, Duration deadline)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("SAFEVAR");
    builder.environment().remove("SAFEMODULE");
    builder.environment().putAll(env);
    Process process = builder.start();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not end within " + deadline);
    }
    return new Result(process.exitValue(), out.join(), err.join());
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
          }
        });
  }
}
