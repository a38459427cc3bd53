package org.bulwark.shell.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliService;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.store.CommandLog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node end of the {@code safekit} command: a local socket at {@code SAFEVAR/run/safeadmin.sock}
 * (owner-only), one request per connection (see {@link Frames}). A local socket rather than a port:
 * no login prompt, no port to share between nodes on one machine, and each copy of the distribution
 * reaches its own node.
 */
@Component(service = CliService.class, immediate = true)
public final class CliServer implements CliService {
  private static final Logger LOG = LoggerFactory.getLogger(CliServer.class);

  /** The caller environment variables forwarded to verbs. */
  static final List<String> FORWARDED_ENV = List.of("SAFEMODULE", "USER", "PWD");

  private final List<CliVerb> verbs = new CopyOnWriteArrayList<>();
  private final Path socketPath;
  private final ServerSocketChannel server;
  private final ExecutorService workers;
  private final CliDispatcher dispatcher;
  private final Thread acceptor;

  @Activate
  public CliServer(@Reference NodeEnvironment env, @Reference CommandLog commandLog)
      throws IOException {
    this.dispatcher = new CliDispatcher(this::registeredVerbs, commandLog);
    this.socketPath = env.directories().run().resolve("safeadmin.sock");
    this.server = bind(socketPath);
    this.workers =
        new ThreadPoolExecutor(
            2,
            32,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(256),
            r -> {
              Thread t = new Thread(r, "safekit-cli");
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::acceptLoop, "safekit-cli-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    LOG.info("safekit command server listening on {}", socketPath);
  }

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      service = CliVerb.class)
  void addVerb(CliVerb verb) {
    verbs.add(verb);
  }

  void removeVerb(CliVerb verb) {
    verbs.remove(verb);
  }

  private Collection<CliVerb> registeredVerbs() {
    return verbs;
  }

  @Override
  public int execute(List<String> args, Map<String, String> environment, CliOutput out) {
    return dispatcher.dispatch(args, environment, out);
  }

  @Override
  public List<String> verbs() {
    return verbs.stream().map(CliVerb::name).sorted().toList();
  }

  @Deactivate
  void deactivate() throws IOException {
    server.close();
    workers.shutdownNow();
    Files.deleteIfExists(socketPath);
  }

  /** Binds the socket, replacing a stale one left by a killed node but never a live one. */
  static ServerSocketChannel bind(Path socketPath) throws IOException {
    Files.createDirectories(socketPath.getParent());
    if (Files.exists(socketPath)) {
      try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socketPath))) {
        throw new IOException(
            "another node already serves " + socketPath + ": each node needs its own SAFEVAR");
      } catch (IOException stale) {
        if (stale.getMessage() != null && stale.getMessage().startsWith("another node")) {
          throw stale;
        }
        Files.delete(socketPath);
      }
    }
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    channel.bind(UnixDomainSocketAddress.of(socketPath));
    Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-rw----"));
    return channel;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        workers.execute(() -> serve(client));
      } catch (ClosedChannelException closed) {
        return;
      } catch (Exception e) {
        LOG.warn("safekit command server: accept failed", e);
      }
    }
  }

  private void serve(SocketChannel client) {
    try (client;
        DataInputStream in =
            new DataInputStream(new BufferedInputStream(Channels.newInputStream(client)));
        DataOutputStream out =
            new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client)))) {
      Frames.Request request = Frames.readRequest(in);
      FrameOutput output = new FrameOutput(out);
      int code = dispatcher.dispatch(request.args(), environment(request.environment()), output);
      output.exit(code);
    } catch (Exception e) {
      LOG.debug("safekit client connection ended: {}", e.toString());
    }
  }

  private static Map<String, String> environment(List<String> entries) {
    Map<String, String> env = new HashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      if (eq > 0 && FORWARDED_ENV.contains(entry.substring(0, eq))) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }
}
