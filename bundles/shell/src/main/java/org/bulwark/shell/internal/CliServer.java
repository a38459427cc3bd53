package org.bulwark.shell.internal;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.bulwark.api.cli.CliExit;
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
 * The node end of the {@code safekit} command (spec F): a local socket at {@code
 * SAFEVAR/run/safeadmin.sock} (see {@link LocalSocket}), one request per connection (see {@link
 * Frames}). A local socket rather than a port: no login prompt, no port to share between nodes on
 * one machine, and each copy of the distribution reaches its own node.
 *
 * <p>Requests are read by {@link RequestReader}'s selector thread; a worker thread runs each
 * complete one. Workers are started on demand up to {@link Limits#maxRunning}, so that dozens of
 * long waits ({@code waitstate}, bounded by their own deadlines) never hold up a short command;
 * past that, a request is answered "busy" and closed.
 */
@Component(service = CliService.class, immediate = true)
public final class CliServer implements CliService {
  private static final Logger LOG = LoggerFactory.getLogger(CliServer.class);

  /** The caller environment variables forwarded to verbs. */
  static final List<String> FORWARDED_ENV = List.of("SAFEMODULE", "USER", "PWD");

  /**
   * Bounds on clients.
   *
   * @param readTimeout how long a client has to send its whole request after connecting (the C
   *     client sends it at once; 10 s leaves room for a slow user lookup on its side)
   * @param maxPending connections being read at once (each holds up to {@link Frames#MAX_REQUEST})
   * @param maxRunning commands running at once
   */
  record Limits(Duration readTimeout, int maxPending, int maxRunning) {
    static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 64, 128);
  }

  private final List<CliVerb> verbs = new CopyOnWriteArrayList<>();
  private final Path socketPath;
  private final Limits limits;
  private final CliDispatcher dispatcher;
  private final Semaphore running;
  private final ExecutorService workers;
  private final ServerSocketChannel server;
  private final RequestReader reader;

  @Activate
  public CliServer(@Reference NodeEnvironment env, @Reference CommandLog commandLog)
      throws IOException {
    this(env.directories().run().resolve("safeadmin.sock"), commandLog, Limits.DEFAULT);
  }

  CliServer(Path socketPath, CommandLog commandLog, Limits limits) throws IOException {
    this.socketPath = socketPath;
    this.limits = limits;
    this.dispatcher = new CliDispatcher(this::registeredVerbs, commandLog);
    this.running = new Semaphore(limits.maxRunning());
    this.workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "safekit-cli");
              t.setDaemon(true);
              return t;
            });
    this.server = LocalSocket.bind(socketPath);
    try {
      this.reader =
          new RequestReader(server, limits.readTimeout(), limits.maxPending(), this::start);
    } catch (IOException | RuntimeException e) {
      server.close();
      Files.deleteIfExists(socketPath);
      workers.shutdown();
      throw e;
    }
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
    try {
      reader.close(); // first: it closes its selector, which lets the server channel close
      server.close();
    } finally {
      workers.shutdownNow();
      Files.deleteIfExists(socketPath);
    }
  }

  /** Runs a complete request on a worker, or answers busy; the channel is closed either way. */
  private void start(SocketChannel client, Frames.Request request) {
    if (!running.tryAcquire()) {
      LOG.info("safekit command refused: {} commands running", limits.maxRunning());
      refuseBusy(client);
      return;
    }
    try {
      workers.execute(
          () -> {
            try {
              serve(client, request);
            } finally {
              running.release();
            }
          });
    } catch (RejectedExecutionException stopped) {
      running.release();
      closeQuietly(client);
    }
  }

  private void refuseBusy(SocketChannel client) {
    String message =
        "safeadmin is busy: " + limits.maxRunning() + " commands already running; try again";
    // blocking, but a hundred bytes to a client sent nothing yet: it cannot block
    try (client) {
      ByteBuffer reply = ByteBuffer.wrap(Frames.errorReply(message, CliExit.FAILED));
      while (reply.hasRemaining()) {
        client.write(reply);
      }
    } catch (IOException e) {
      LOG.debug("safekit client gone before the busy answer: {}", e.toString());
    }
  }

  private void serve(SocketChannel client, Frames.Request request) {
    try (client;
        DataOutputStream out =
            new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client)))) {
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

  private static void closeQuietly(SocketChannel client) {
    try {
      client.close();
    } catch (IOException e) {
      LOG.debug("close: {}", e.toString());
    }
  }
}
