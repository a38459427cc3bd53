package org.bulwark.web.internal.rcmd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.deploy.DeployException;
import org.bulwark.api.deploy.InstalledModule;
import org.bulwark.api.deploy.ModuleDeployer;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.web.internal.listen.WebAddresses;
import org.bulwark.web.internal.rest.NodeForwarder;
import org.bulwark.web.internal.rest.WebConf;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code safekit -H "<servers>" <command> | -E AM | -G} (spec F.7, A.3): runs a command on several
 * servers through their web API, all at once, and prints each server's output under its header in
 * the order the servers were given. The exit code is the highest of the servers' (1 for one that
 * could not be reached): 0 only when the command succeeded everywhere.
 *
 * <p>Each server journals what it runs, with the distributed-command user as the origin; this node
 * journals nothing more (the command line may carry a password for {@code webservercfg}).
 */
@Component(service = CliVerb.class)
public final class RcmdVerb implements CliVerb {
  /**
   * How long a server has to answer a command that does not wait ({@code bulwark.rcmd.timeout}).
   */
  static Duration defaultTimeout() {
    return Duration.ofSeconds(Long.getLong("bulwark.rcmd.timeout", 120));
  }

  private final NodeEnvironment env;
  private final Supplier<Optional<ClusterConfig>> cluster;
  private final ModuleDeployer deployer;
  private final RcmdCredentials credentials;
  private final int webPort;
  private final Duration timeout;
  private final java.net.http.HttpClient http = RcmdClient.newHttpClient();

  @Activate
  public RcmdVerb(
      @Reference NodeEnvironment env,
      @Reference ConfigService config,
      @Reference ModuleDeployer deployer) {
    this(
        env,
        NodeForwarder.applied(env, config),
        deployer,
        new RcmdCredentials(WebConf.directory(env)),
        WebConf.webPort(),
        defaultTimeout());
  }

  RcmdVerb(
      NodeEnvironment env,
      Supplier<Optional<ClusterConfig>> cluster,
      ModuleDeployer deployer,
      RcmdCredentials credentials,
      int webPort,
      Duration timeout) {
    this.env = env;
    this.cluster = cluster;
    this.deployer = deployer;
    this.credentials = credentials;
    this.webPort = webPort;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "-H";
  }

  @Override
  public String summary() {
    return "run a command on several servers: -H \"*\" state, -H \"node1,node2\" -E AM, -H \"*\" -G";
  }

  @Override
  public String usage() {
    return String.join(
        System.lineSeparator(),
        "Usage: safekit -H \"<servers>\" <command> [arguments] [-m AM]",
        "       safekit -H \"<servers>\" -E AM    export module AM: install it with its id and"
            + " configure it on each server",
        "       safekit -H \"<servers>\" -G       apply this node's cluster.xml on each server",
        "  <servers>: \"*\" (every node of cluster.xml), \"node1,node2\" (nodes of cluster.xml),",
        "             \"[http|https[:port]],host1,host2\", or URLs \"http://host1:9010,http://host2:9010\"",
        "  Every server must have the distributed-command user, with the same password:",
        "  safekit webservercfg -rcmdpasswd <password> on each node.");
  }

  /** Each server journals its own part. */
  @Override
  public boolean journaled(CliRequest request) {
    return false;
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws IOException, DeployException {
    List<String> args = request.args();
    if (args.isEmpty()) {
      throw new IllegalArgumentException("-H needs the servers and a command");
    }
    RemoteCommand command = RemoteCommand.parse(args.subList(1, args.size()), request.module());
    Optional<ClusterConfig> config = cluster.get();
    List<Target> targets = Targets.parse(args.get(0), config, webPort);
    Optional<RcmdCredentials.Credentials> user = credentials.read();
    if (user.isEmpty()) {
      out.err()
          .println(
              "Error: no distributed-command user on this node ("
                  + credentials.file()
                  + "): set the same password on every node with 'safekit webservercfg"
                  + " -rcmdpasswd <password>'");
      return CliExit.FAILED;
    }
    RcmdClient client = new RcmdClient(http, user.get());
    Duration wait = command.timeout(timeout);
    List<CompletableFuture<Answer>> answers = new ArrayList<>();
    if (command instanceof RemoteCommand.Exec exec) {
      for (Target t : targets) {
        answers.add(client.exec(t, exec.args(), wait));
      }
    } else if (command instanceof RemoteCommand.Export export) {
      Optional<InstalledModule> module =
          deployer.list().stream().filter(m -> m.name().equals(export.module())).findFirst();
      if (module.isEmpty()) {
        out.err().println("Error: module " + export.module() + " is not installed on this node");
        return CliExit.FAILED;
      }
      byte[] safe = pack(export.module());
      Optional<String> self = localNode(config);
      for (Target t : targets) {
        answers.add(exportTo(client, t, module.get(), safe, isLocal(t, self), wait));
      }
    } else {
      Path xml = env.directories().cluster().resolve("cluster.xml");
      if (!Files.exists(xml)) {
        out.err()
            .println(
                "Error: no cluster configuration is applied on this node ("
                    + xml
                    + "): run 'safekit cluster config <file.xml>' first");
        return CliExit.FAILED;
      }
      byte[] content = Files.readAllBytes(xml);
      for (Target t : targets) {
        answers.add(client.clusterConfig(t, content, wait));
      }
    }
    int code = CliExit.OK;
    for (int i = 0; i < targets.size(); i++) {
      Answer answer = answers.get(i).join();
      ServerReport.print(targets.get(i), user.get().user(), command.action(), answer, out);
      code = Math.max(code, answer.exitCode());
    }
    return code;
  }

  /**
   * Install with the local id, then configure; on this node itself the files are already there, so
   * it is only configured (spec F.5: "build AM.safe from local files, install on targets with the
   * local module id", and the guide's {@code -H "*" -E AM} then {@code prim} on the same node).
   */
  private static CompletableFuture<Answer> exportTo(
      RcmdClient client,
      Target target,
      InstalledModule module,
      byte[] safe,
      boolean local,
      Duration wait) {
    if (local) {
      return client.config(target, module.name(), wait);
    }
    return client
        .install(target, module.name(), module.id(), safe, wait)
        .thenCompose(
            installed ->
                installed.exitCode() != 0
                    ? CompletableFuture.completedFuture(installed)
                    : client.config(target, module.name(), wait).thenApply(installed::then));
  }

  private byte[] pack(String module) throws IOException, DeployException {
    Path dir = Files.createTempDirectory("bulwark-export");
    Path file = dir.resolve(module + ".safe");
    try {
      deployer.packageModule(module, file);
      return Files.readAllBytes(file);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private Optional<String> localNode(Optional<ClusterConfig> config) {
    return WebAddresses.localNode(env.bindAddress(), env.hostName(), config);
  }

  /** Whether a server is this node: by its name in cluster.xml, or by the address it binds. */
  private boolean isLocal(Target target, Optional<String> self) {
    if (target.node().isPresent()) {
      return target.node().equals(self);
    }
    return target.host().equals(env.bindAddress()) && target.base().getPort() == webPort;
  }
}
