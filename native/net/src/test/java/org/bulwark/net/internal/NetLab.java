package org.bulwark.net.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.net.NetException;

/**
 * Network namespaces of a test's own: created with a random suffix, joined by veth pairs (both ends
 * created inside the namespaces, so no interface ever appears in the machine's namespace), and all
 * deleted by {@link #close()} — which deletes every interface in them — whatever the test did.
 * Needs root.
 */
final class NetLab implements AutoCloseable {
  /** {@code bwt}, or the system property {@code net.prefix} (labs of several engineers at once). */
  static final String PREFIX = System.getProperty("net.prefix", "bwt");

  private final String suffix =
      Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
  private final Map<String, String> namespaces = new LinkedHashMap<>();
  private final List<Netns> threads = new ArrayList<>();

  /** Creates namespace {@code role} (its real name carries the suffix); lo is brought up. */
  String add(String role) throws IOException {
    String name = PREFIX + "-" + role + "-" + suffix;
    sh("ip", "netns", "add", name);
    namespaces.put(role, name);
    sh("ip", "-n", name, "link", "set", "lo", "up");
    sysctl(role, "net.ipv4.conf.all.rp_filter", "0");
    sysctl(role, "net.ipv4.conf.default.rp_filter", "0");
    return name;
  }

  String name(String role) {
    String n = namespaces.get(role);
    if (n == null) {
      throw new IllegalArgumentException("no namespace " + role + " in the lab");
    }
    return n;
  }

  /** A veth pair {@code aRole:aIf} — {@code bRole:bIf}, both up. */
  void link(String aRole, String aIf, String bRole, String bIf) throws IOException {
    sh(
        "ip",
        "-n",
        name(aRole),
        "link",
        "add",
        aIf,
        "type",
        "veth",
        "peer",
        "name",
        bIf,
        "netns",
        name(bRole));
    ip(aRole, "link", "set", aIf, "up");
    ip(bRole, "link", "set", bIf, "up");
  }

  /**
   * Namespaces {@code node} and {@code peer} joined by a veth pair {@code eth0} — {@code eth0},
   * holding {@code <net>.1/24} and {@code <net>.2/24} ({@code net} like {@code 10.81.0}).
   */
  static NetLab nodeAndPeer(String net) throws IOException {
    NetLab lab = new NetLab();
    try {
      lab.add("node");
      lab.add("peer");
      lab.link("node", "eth0", "peer", "eth0");
      lab.ip("node", "addr", "add", net + ".1/24", "dev", "eth0");
      lab.ip("peer", "addr", "add", net + ".2/24", "dev", "eth0");
      return lab;
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /** Runs {@code ip <args>} in namespace {@code role}. */
  String ip(String role, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", name(role)));
    cmd.addAll(List.of(args));
    return sh(cmd.toArray(String[]::new));
  }

  /** Runs a command inside namespace {@code role}. */
  String exec(String role, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name(role)));
    cmd.addAll(List.of(args));
    return sh(cmd.toArray(String[]::new));
  }

  /** Runs a command inside namespace {@code role}; its exit status, output ignored. */
  int status(String role, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name(role)));
    cmd.addAll(List.of(args));
    return run(cmd).exit;
  }

  void sysctl(String role, String key, String value) throws IOException {
    exec(role, "sysctl", "-q", "-w", key + "=" + value);
  }

  /** A thread inside namespace {@code role}, closed with the lab. */
  Netns thread(String role) throws NetException {
    Netns ns = Netns.named(name(role));
    threads.add(ns);
    return ns;
  }

  static String sh(String... cmd) throws IOException {
    Result r = run(List.of(cmd));
    if (r.exit != 0) {
      throw new IOException(String.join(" ", cmd) + " failed (" + r.exit + "): " + r.output);
    }
    return r.output;
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish");
      }
      return new Result(p.exitValue(), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Deletes every namespace of the lab (and with them their interfaces), reporting the first error.
   */
  @Override
  public void close() throws IOException {
    threads.forEach(Netns::close);
    IOException first = null;
    for (String name : namespaces.values()) {
      try {
        sh("ip", "netns", "del", name);
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    namespaces.clear();
    if (first != null) {
      throw first;
    }
  }
}
