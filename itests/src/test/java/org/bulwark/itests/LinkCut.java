package org.bulwark.itests;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bulwark.itests.NodeProcess.Result;

/**
 * Cuts the replication link between two loopback addresses, both ways, with an nftables table of
 * its own ({@code inet bulwark_it_<pid>}): heartbeats go on, replication packets are dropped until
 * {@link #restore}. The table is deleted on {@link #close}, even when a test fails; nothing else is
 * touched.
 */
final class LinkCut implements AutoCloseable {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private final String table = "bulwark_it_" + ProcessHandle.current().pid();
  private final String a;
  private final String b;
  private final int port;
  private boolean created;

  LinkCut(String a, String b, int port) {
    this.a = a;
    this.b = b;
    this.port = port;
  }

  /** From now on the two addresses' packets to and from the port are dropped. */
  void cut() throws IOException, InterruptedException {
    String rules =
        "table inet "
            + table
            + " {\n  chain out {\n    type filter hook output priority 0; policy accept;\n"
            + "    ip saddr "
            + a
            + " ip daddr "
            + b
            + " tcp dport "
            + port
            + " drop\n    ip saddr "
            + b
            + " ip daddr "
            + a
            + " tcp sport "
            + port
            + " drop\n    ip saddr "
            + b
            + " ip daddr "
            + a
            + " tcp dport "
            + port
            + " drop\n    ip saddr "
            + a
            + " ip daddr "
            + b
            + " tcp sport "
            + port
            + " drop\n  }\n}\n";
    nft("-f", "-", rules);
    created = true;
  }

  /** Packets flow again. */
  void restore() throws IOException, InterruptedException {
    if (created) {
      nft("delete", "table", "inet", table);
      created = false;
    }
  }

  private static void nft(String... args) throws IOException, InterruptedException {
    nft(List.of(args), null);
  }

  private static void nft(String flag, String file, String input)
      throws IOException, InterruptedException {
    nft(List.of(flag, file), input);
  }

  private static void nft(List<String> args, String input)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add("nft");
    command.addAll(args);
    Result r;
    if (input == null) {
      r = NodeProcess.run(command, Map.of(), DEADLINE);
    } else {
      java.nio.file.Path f = java.nio.file.Files.createTempFile("bulwark-nft", ".rules");
      try {
        java.nio.file.Files.writeString(f, input);
        command.set(command.size() - 1, f.toString());
        r = NodeProcess.run(command, Map.of(), DEADLINE);
      } finally {
        java.nio.file.Files.deleteIfExists(f);
      }
    }
    if (r.exitCode() != 0) {
      throw new IOException("nft " + args + " failed: " + r);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    restore();
  }
}
