package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's PostgreSQL 15 ({@code postgresql-15}) with its data directory beneath the shared path of
 * a {@link ReplicatedPath}: the same directory on whichever node serves it, each node's server run
 * by the test in that node's namespace, so that it dies with the node ({@link
 * NodeNamespace#crash}). PostgreSQL refuses to run as root: everything runs as {@code postgres},
 * which owns the data directory (its owner is replicated: both nodes are on this machine, same
 * uids).
 *
 * <p>Nothing of it is shared with the system's clusters: no TCP listener, the Unix socket and the
 * server log in a directory of each node's disk beside its private directory ({@link #run}), never
 * replicated. The server lives in an IPC namespace of its own, so that the System V memory of a
 * killed one goes with it; {@code dynamic_shared_memory_type=sysv} keeps its dynamic segments there
 * too, not in the host's {@code /dev/shm}. Durability stays PostgreSQL's default ({@code fsync},
 * {@code synchronous_commit}, {@code full_page_writes} all on: {@link #assertDurable}).
 */
final class Postgres {
  static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

  /** Crash recovery from the WAL included, on a loaded 2-core machine. */
  private static final int START_SECONDS = 120;

  private static final Duration COMMAND = Duration.ofSeconds(START_SECONDS + 30);

  /** The data directory, beneath the shared path: the same path in every node's namespace. */
  final Path data;

  /** Names the socket ({@code .s.PGSQL.<port>}): nothing listens on TCP. */
  final int port;

  Postgres(Path data, int port) {
    this.data = data;
    this.port = port;
  }

  /** The node's own directory of the socket and the server log: its disk, not replicated. */
  static Path run(NodeNamespace ns) {
    return ns.disk.dir.resolve("postgres");
  }

  /** Creates the data directory through the node's mount and initializes a cluster in it. */
  void initdb(NodeNamespace ns) throws Exception {
    ok(ns.run(COMMAND, "install", "-d", "-o", "postgres", "-g", "postgres", "-m", "700", dir()));
    ok(
        ns.run(
            COMMAND,
            asPostgres(
                BIN.resolve("initdb").toString(),
                "-D",
                dir(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C")));
  }

  /**
   * Starts the server on the node's copy and returns once it accepts connections ({@code pg_ctl
   * -w}, at most {@link #START_SECONDS}): after a crash, once the WAL is replayed.
   */
  void start(NodeNamespace ns) throws Exception {
    Path run = run(ns);
    if (!Files.isDirectory(run)) {
      Files.createDirectory(
          run, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      UserPrincipalLookupService users = run.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(run, users.lookupPrincipalByName("postgres"));
    }
    String options =
        String.join(
            " ",
            "-c listen_addresses=''",
            "-k " + run,
            "-p " + port,
            "-c shared_buffers=16MB",
            "-c max_connections=20",
            "-c dynamic_shared_memory_type=sysv");
    List<String> c = new ArrayList<>(List.of("unshare", "--ipc", "--"));
    c.addAll(
        List.of(
            asPostgres(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                dir(),
                "-l",
                log(ns).toString(),
                "-o",
                options,
                "-w",
                "-t",
                Integer.toString(START_SECONDS),
                "start")));
    ok(ns.run(COMMAND, c.toArray(String[]::new)));
  }

  /** A clean stop ({@code -m fast}): its sessions are ended, a checkpoint is written. */
  void stop(NodeNamespace ns) throws Exception {
    ok(
        ns.run(
            COMMAND,
            asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir(), "-m", "fast", "-w", "stop")));
  }

  /** Runs {@code sql} in one session; returns its rows, unaligned, one a line. */
  String sql(NodeNamespace ns, String sql) throws Exception {
    List<String> c = psql(ns);
    c.addAll(List.of("-c", sql));
    return ok(ns.run(COMMAND, asPostgres(c.toArray(String[]::new)))).out();
  }

  /**
   * One session beside the node, reading statements on its standard input and printing each one's
   * rows (unaligned, no headers) once it has completed; it stops at the first error.
   */
  Process session(NodeNamespace ns) throws IOException {
    List<String> c = psql(ns);
    c.addAll(List.of("-f", "-"));
    return ns.spawn(asPostgres(c.toArray(String[]::new)));
  }

  /** Fails unless the running server keeps every commit durable, PostgreSQL's defaults. */
  void assertDurable(NodeNamespace ns) throws Exception {
    String settings =
        sql(
            ns,
            "select string_agg(name || '=' || setting, ' ' order by name) from pg_settings"
                + " where name in ('fsync', 'synchronous_commit', 'full_page_writes')");
    if (!settings.trim().equals("fsync=on full_page_writes=on synchronous_commit=on")) {
      throw new AssertionError("durability weakened: " + settings);
    }
  }

  /** This node's server log, all its starts. */
  static Path log(NodeNamespace ns) {
    return run(ns).resolve("postgres.log");
  }

  /** How long this node's server log is now, 0 before its first start. */
  static long logSize(NodeNamespace ns) throws IOException {
    return Files.exists(log(ns)) ? Files.size(log(ns)) : 0;
  }

  static String logOf(NodeNamespace ns) {
    try {
      return Files.readString(log(ns));
    } catch (IOException e) {
      return "(no server log: " + e.getMessage() + ")\n";
    }
  }

  private List<String> psql(NodeNamespace ns) {
    return new ArrayList<>(
        List.of(
            BIN.resolve("psql").toString(),
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            run(ns).toString(),
            "-p",
            Integer.toString(port),
            "-U",
            "postgres",
            "-d",
            "postgres"));
  }

  private String dir() {
    return data.toString();
  }

  /** {@code command} as {@code postgres}, from {@code /} (the test's directory is not its). */
  private static String[] asPostgres(String... command) {
    List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--", "env", "-C", "/"));
    c.addAll(List.of(command));
    return c.toArray(String[]::new);
  }
}
