package org.bulwark.config.internal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.Node;
import org.bulwark.api.env.NodeEnvironment;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code safekit cluster confcheck|config|confinfo|state} (spec A.3, F.2). {@code config} validates
 * first and installs {@code SAFEVAR/cluster/cluster.xml} atomically, so a bad file is never
 * applied. Distribution to the other nodes ({@code -G}) and key generation belong to the node's
 * administration service, not here.
 */
@Component(service = CliVerb.class)
public final class ClusterVerb implements CliVerb {

  static final String FILE = "cluster.xml";
  static final String LOCK = "cluster.lock";

  private final ConfigService config;
  private final NodeEnvironment node;

  @Activate
  public ClusterVerb(@Reference ConfigService config, @Reference NodeEnvironment node) {
    this.config = config;
    this.node = node;
  }

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public String summary() {
    return "check, apply and show the cluster configuration (cluster.xml)";
  }

  @Override
  public String usage() {
    return String.join(
        System.lineSeparator(),
        "usage: safekit cluster confcheck <file.xml>",
        "       safekit cluster config <file.xml> [lock|unlock]",
        "       safekit cluster confinfo",
        "       safekit cluster state",
        "       safekit cluster deconfig");
  }

  @Override
  public boolean journaled(CliRequest request) {
    return !request.args().isEmpty()
        && (request.args().get(0).equals("config") || request.args().get(0).equals("deconfig"));
  }

  @Override
  public int run(CliRequest request, CliOutput out) {
    try {
      return dispatch(request, out);
    } catch (IOException | SecurityException e) {
      // A node whose SAFEVAR cannot be written or read: say so, never a stack trace.
      out.err().println("cluster " + String.join(" ", request.args()) + ": " + e);
      return CliExit.FAILED;
    }
  }

  private int dispatch(CliRequest request, CliOutput out) throws IOException {
    List<String> args = request.args();
    String sub = args.isEmpty() ? "" : args.get(0);
    switch (sub) {
      case "confcheck":
        return args.size() == 2 ? confcheck(request, args.get(1), out) : usage(out);
      case "config":
        return args.size() >= 2 && args.size() <= 3 ? configure(request, out) : usage(out);
      case "confinfo":
        return args.size() == 1 ? confinfo(out) : usage(out);
      case "state":
        return args.size() == 1 ? state(out) : usage(out);
      case "deconfig":
        return args.size() == 1 ? deconfig(out) : usage(out);
      case "genkey", "delkey":
        // Spec A.3: keys encrypt inter-node traffic, which the administration service owns.
        out.err().println("cluster " + sub + ": cluster keys are not available in this version");
        return CliExit.FAILED;
      default:
        if (!sub.isEmpty()) {
          out.err().println("unknown cluster command '" + sub + "'");
        }
        return usage(out);
    }
  }

  private int usage(CliOutput out) {
    out.err().println(usage());
    return CliExit.USAGE;
  }

  private int confcheck(CliRequest request, String file, CliOutput out) {
    ConfigResult<ClusterConfig> result =
        config.loadCluster(ConfigFiles.argument(file, request.environment()));
    if (result instanceof ConfigResult.Valid<ClusterConfig> valid) {
      out.out()
          .println(file + ": cluster configuration is valid (" + describe(valid.model()) + ")");
      return CliExit.OK;
    }
    ConfigFiles.printErrors(out, result.errors());
    return CliExit.FAILED;
  }

  private int configure(CliRequest request, CliOutput out) throws IOException {
    List<String> args = request.args();
    String mode = args.size() == 3 ? args.get(2) : "";
    if (!mode.isEmpty() && !mode.equals("lock") && !mode.equals("unlock")) {
      out.err().println("expected lock or unlock after the file, not '" + mode + "'");
      return usage(out);
    }
    Path file = ConfigFiles.argument(args.get(1), request.environment());
    if (!file.getFileName().toString().endsWith(".xml")) {
      out.err().println(file + ": expected an .xml cluster configuration");
      return CliExit.USAGE;
    }
    Path dir = node.directories().cluster();
    Path lock = dir.resolve(LOCK);
    if (Files.exists(lock) && !mode.equals("unlock")) {
      out.err()
          .println(
              "the cluster configuration is locked; run 'safekit cluster config "
                  + args.get(1)
                  + " unlock' to replace it");
      return CliExit.FAILED;
    }
    ConfigResult<ClusterConfig> result = config.loadCluster(file);
    if (!result.isValid()) {
      ConfigFiles.printErrors(out, result.errors());
      out.err().println("cluster configuration not applied");
      return CliExit.FAILED;
    }
    byte[] content = Files.readAllBytes(file);
    ConfigFiles.installAtomically(content, dir.resolve(FILE));
    if (mode.equals("lock")) {
      ConfigFiles.installAtomically(new byte[0], lock);
    } else if (mode.equals("unlock")) {
      Files.deleteIfExists(lock);
    }
    out.out()
        .println(
            "cluster configuration applied on "
                + node.hostName()
                + ": "
                + describe(result.orElseThrow())
                + ", signature "
                + ConfigFiles.signature(content));
    return CliExit.OK;
  }

  private int confinfo(CliOutput out) throws IOException {
    Path applied = node.directories().cluster().resolve(FILE);
    if (!Files.exists(applied)) {
      out.err().println(node.hostName() + ": no cluster configuration applied");
      return CliExit.FAILED;
    }
    byte[] content = Files.readAllBytes(applied);
    boolean locked = Files.exists(node.directories().cluster().resolve(LOCK));
    out.out()
        .println(
            node.hostName()
                + ": signature "
                + ConfigFiles.signature(content)
                + " date "
                + ConfigFiles.date(Files.getLastModifiedTime(applied).toInstant())
                + " lock "
                + (locked ? 1 : 0));
    return CliExit.OK;
  }

  /** Spec A.3 {@code cluster deconfig}: removes the applied configuration and its lock. */
  private int deconfig(CliOutput out) throws IOException {
    Path dir = node.directories().cluster();
    boolean removed = Files.deleteIfExists(dir.resolve(FILE));
    Files.deleteIfExists(dir.resolve(LOCK));
    out.out()
        .println(
            removed
                ? "cluster configuration removed from " + node.hostName()
                : node.hostName() + ": no cluster configuration to remove");
    return CliExit.OK;
  }

  private int state(CliOutput out) {
    Path applied = node.directories().cluster().resolve(FILE);
    if (!Files.exists(applied)) {
      out.err().println(node.hostName() + ": no cluster configuration applied");
      return CliExit.FAILED;
    }
    ConfigResult<ClusterConfig> result = config.loadCluster(applied);
    if (!result.isValid()) {
      ConfigFiles.printErrors(out, result.errors());
      return CliExit.FAILED;
    }
    ClusterConfig cluster = result.orElseThrow();
    for (Lan lan : cluster.lans()) {
      out.out().println("lan " + lan.name() + (lan == cluster.commandLan() ? " (command)" : ""));
      for (Node member : lan.nodes()) {
        out.out()
            .printf(
                "  %-20s %s%s%n",
                member.name(),
                member.addr(),
                member.laddr().map(l -> " (local " + l + ")").orElse(""));
      }
    }
    return CliExit.OK;
  }

  private static String describe(ClusterConfig cluster) {
    int lans = cluster.lans().size();
    int nodes = cluster.nodeNames().size();
    return lans + (lans == 1 ? " lan, " : " lans, ") + nodes + " nodes";
  }
}
