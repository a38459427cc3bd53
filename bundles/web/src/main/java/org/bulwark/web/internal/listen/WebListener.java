package org.bulwark.web.internal.listen;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.web.internal.rest.NodeForwarder;
import org.bulwark.web.internal.rest.WebConf;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's HTTP server (Pax Web) on the addresses {@link WebAddresses} selects, and starts
 * and stops it, through Pax Web's configuration ({@code org.ops4j.pax.web}). Pax Web applies a new
 * configuration by restarting its server and registering every servlet again (about a second), so
 * an applied cluster.xml takes effect without restarting the node. The applied cluster.xml is
 * looked at every {@link #POLL}: a cheap check of its time and size.
 */
@Component(immediate = true)
public final class WebListener implements WebControl {
  private static final Logger LOG = LoggerFactory.getLogger(WebListener.class);
  static final String PID = "org.ops4j.pax.web";
  static final String ADDRESSES = "org.ops4j.pax.web.listening.addresses";
  static final String ENABLED = "org.osgi.service.http.enabled";
  static final Duration POLL = Duration.ofSeconds(2);
  static final Duration SETTLE = Duration.ofSeconds(30);

  private final NodeEnvironment env;
  private final Supplier<Optional<ClusterConfig>> appliedCluster;
  private final ConfigurationAdmin configAdmin;
  private final String setting;
  private final int port;
  private final Path bootFile;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bulwark-web-listen"));
  private final List<ServiceRegistration<?>> verbs;

  /** Guarded by this: the cluster.xml last seen (time and size) and the addresses applied. */
  private String clusterStamp = "";

  private List<String> addresses = List.of();

  @Activate
  public WebListener(
      @Reference NodeEnvironment env,
      @Reference ConfigService configs,
      @Reference ConfigurationAdmin configAdmin,
      BundleContext context)
      throws IOException {
    this.env = env;
    this.appliedCluster = NodeForwarder.applied(env, configs);
    this.configAdmin = configAdmin;
    this.setting = System.getProperty("bulwark.web.addr", WebAddresses.CLUSTER);
    this.port = WebConf.webPort();
    this.bootFile = WebConf.directory(env).resolve("boot.conf");
    refresh(bootOn());
    if (!bootOn()) {
      LOG.info("Web service not started: safekit boot weboff ({})", bootFile);
    }
    poller.scheduleWithFixedDelay(
        this::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    verbs =
        List.of(
            context.registerService(CliVerb.class, new WebserverVerb(this), null),
            context.registerService(CliVerb.class, new BootWebVerb(this), null));
  }

  @Deactivate
  void deactivate() {
    verbs.forEach(ServiceRegistration::unregister);
    poller.shutdownNow();
  }

  private void poll() {
    try {
      refresh(null);
    } catch (Exception e) {
      LOG.warn("Cannot update the web service's addresses", e);
    }
  }

  /**
   * Recomputes the addresses when cluster.xml changed and applies them if they differ; {@code
   * enable}, when not null, is whether the server runs (the boot setting, at activation).
   */
  private synchronized void refresh(Boolean enable) throws IOException {
    Path file = env.directories().cluster().resolve("cluster.xml");
    String stamp =
        Files.isRegularFile(file) ? Files.getLastModifiedTime(file) + "/" + Files.size(file) : "";
    if (stamp.equals(clusterStamp) && enable == null) {
      return;
    }
    clusterStamp = stamp;
    List<String> wanted;
    try {
      wanted =
          WebAddresses.select(
              setting, env.bindAddress(), env.hostName(), appliedCluster.get(), this::isLocal);
    } catch (IllegalArgumentException e) {
      LOG.error("Web service addresses unchanged: {}", e.getMessage());
      return;
    }
    Configuration config = configAdmin.getConfiguration(PID, null);
    Dictionary<String, Object> props = copy(config.getProperties());
    boolean changed = !String.join(",", wanted).equals(String.valueOf(props.get(ADDRESSES)));
    if (changed) {
      props.put(ADDRESSES, String.join(",", wanted));
    }
    if (enable != null && !enable.toString().equals(String.valueOf(props.get(ENABLED)))) {
      props.put(ENABLED, enable.toString());
      changed = true;
    }
    if (changed) {
      config.update(props);
      LOG.info("Web service listening on {} port {}", wanted, port);
    }
    addresses = wanted;
  }

  /**
   * Whether an address of cluster.xml is one of this machine's: binding any other would stop the
   * whole web server from starting.
   */
  private boolean isLocal(String address) {
    try {
      InetAddress a = InetAddress.getByName(address);
      if (a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null) {
        return true;
      }
      LOG.warn(
          "Web service: {} in cluster.xml is not an address of this machine: skipped", address);
    } catch (IOException e) {
      LOG.warn(
          "Web service: {} in cluster.xml cannot be resolved: skipped ({})",
          address,
          e.getMessage());
    }
    return false;
  }

  @Override
  public synchronized void start() throws Exception {
    setEnabled(true);
    awaitListening(true);
  }

  @Override
  public synchronized void stop() throws Exception {
    setEnabled(false);
    awaitListening(false);
  }

  @Override
  public synchronized Status status() {
    return new Status(listening(), bootOn(), setting, addresses, port);
  }

  @Override
  public void setBoot(boolean on) throws IOException {
    Files.createDirectories(bootFile.getParent());
    Path tmp = bootFile.resolveSibling("boot.conf.tmp");
    Files.writeString(tmp, "web=" + (on ? "on" : "off") + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, bootFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  boolean bootOn() {
    try {
      return !Files.isRegularFile(bootFile)
          || !Files.readString(bootFile, StandardCharsets.UTF_8).strip().equals("web=off");
    } catch (IOException e) {
      LOG.warn("Cannot read {}: the web service starts", bootFile, e);
      return true;
    }
  }

  private void setEnabled(boolean on) throws IOException {
    Configuration config = configAdmin.getConfiguration(PID, null);
    Dictionary<String, Object> props = copy(config.getProperties());
    if (!String.valueOf(on).equals(String.valueOf(props.get(ENABLED)))) {
      props.put(ENABLED, String.valueOf(on));
      config.update(props);
      LOG.info("Web service {}", on ? "started" : "stopped");
    }
  }

  /**
   * Waits, at most {@link #SETTLE}, until the server serves the API and the console (Pax Web
   * registers them again after its server has started to accept connections), or until it refuses
   * connections.
   */
  private void awaitListening(boolean wanted) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (wanted ? !serves("/api/v1.0/level") || !serves("/console") : listening()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the web service did not " + (wanted ? "start" : "stop") + " within " + SETTLE);
      }
      Thread.sleep(100);
    }
  }

  private String probeHost() {
    String address = addresses.isEmpty() ? env.bindAddress() : addresses.get(0);
    return address.equals(WebAddresses.ANY) ? WebAddresses.LOOPBACK : address;
  }

  private boolean listening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(probeHost(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether {@code path} answers 200 (anonymous pages only). */
  private boolean serves(String path) {
    String host = probeHost();
    String authority = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create("http://" + authority + path).toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static Dictionary<String, Object> copy(Dictionary<String, Object> in) {
    Dictionary<String, Object> out = new Hashtable<>();
    if (in != null) {
      for (var keys = in.keys(); keys.hasMoreElements(); ) {
        String key = keys.nextElement();
        out.put(key, in.get(key));
      }
    }
    return out;
  }
}
