package org.bulwark.web.internal.rcmd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.Node;
import org.bulwark.api.deploy.DeployException;
import org.bulwark.api.deploy.InstalledModule;
import org.bulwark.api.deploy.ModuleDeployer;
import org.bulwark.api.deploy.ModulePort;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.env.SafeDirectories;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code safekit -H} against two fake servers on loopback (127.0.0.225 and .226, same port) and an
 * address where nothing listens (.227): the output grouped per server in the order given, the exit
 * code, the user presented, {@code -E} and {@code -G}, and the errors before any request.
 */
public class RcmdVerbTest {
  private static final String N1 = "127.0.0.225";
  private static final String N2 = "127.0.0.226";
  private static final String DOWN = "127.0.0.227";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final List<HttpServer> servers = new ArrayList<>();

  /** What each server received: "host METHOD path?query body". */
  private final List<String> received = new CopyOnWriteArrayList<>();

  /** Released once n1 has answered an exec: n2 answers after n1. */
  private final CountDownLatch n2Answers = new CountDownLatch(1);

  private int port;
  private Path safe;
  private RcmdCredentials credentials;

  @Before
  public void setUp() throws IOException {
    HttpServer first = server(N1, 0);
    port = first.getAddress().getPort();
    server(N2, port);
    safe = tmp.newFolder("safe").toPath();
    credentials = new RcmdCredentials(safe.resolve("web/conf"));
  }

  @After
  public void tearDown() {
    n2Answers.countDown();
    servers.forEach(s -> s.stop(0));
  }

  private HttpServer server(String host, int onPort) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), onPort), 0);
    s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    s.createContext(
        "/api/v1.0/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String path = exchange.getRequestURI().toString().substring("/api/v1.0/".length());
          received.add(host + " " + exchange.getRequestMethod() + " " + path + " " + body);
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          int status = 200;
          String answer;
          if (!"Basic cmNtZGFkbWluOnNlY3JldC1yY21k".equals(auth)) { // rcmdadmin:secret-rcmd
            status = 401;
            answer = "{\"status\":401,\"detail\":\"wrong user name or password\"}";
          } else if (path.equals("exec") && host.equals(N2)) {
            try {
              // longer than the verb's timeout: servers asked one after the other would fail
              n2Answers.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            answer = "{\"exitCode\":1,\"output\":\"mirror: STOP\\n\",\"error\":\"not running\\n\"}";
          } else if (path.equals("exec")) {
            answer = "{\"exitCode\":0,\"output\":\"mirror: PRIM\\n\",\"error\":\"\"}";
          } else if (path.startsWith("modules/") && host.equals(N2) && path.endsWith("/config")) {
            status = 409;
            answer = "{\"status\":409,\"detail\":\"config -m mirror: the module is running\"}";
          } else {
            answer =
                "{\"command\":\"" + path + "\",\"exitCode\":0,\"output\":\"done " + path + "\"}";
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
          if (host.equals(N1) && path.equals("exec")) {
            n2Answers.countDown();
          }
        });
    s.start();
    servers.add(s);
    return s;
  }

  private ClusterConfig cluster() {
    return new ClusterConfig(
        ClusterConfig.DEFAULT_PORT,
        ClusterConfig.DEFAULT_PULSE,
        ClusterConfig.DEFAULT_MLOST_COUNT,
        ClusterConfig.DEFAULT_SLOST_COUNT,
        List.of(
            new Lan(
                "default",
                true,
                List.of(
                    new Node("n1", N1, Optional.empty()),
                    new Node("n2", N2, Optional.empty()),
                    new Node("n3", DOWN, Optional.empty())))));
  }

  private NodeEnvironment env() {
    SafeDirectories dirs = new SafeDirectories(safe, safe.resolve("var"));
    return new NodeEnvironment() {
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
        return "host1";
      }

      @Override
      public String bindAddress() {
        return N1;
      }
    };
  }

  private Duration timeout = Duration.ofSeconds(30);

  private RcmdVerb verb() {
    return new RcmdVerb(
        env(), () -> Optional.of(cluster()), deployer(), credentials, port, timeout);
  }

  /** What a verb run printed and returned. */
  private record Run(int code, String out, String err) {}

  private Run run(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> list = new ArrayList<>(List.of(args));
    String module = null;
    int m = list.indexOf("-m");
    if (m >= 0) {
      module = list.get(m + 1);
      list.subList(m, m + 2).clear();
    }
    int code =
        verb()
            .run(
                new CliRequest("-H", list, module, null, Map.of()),
                CliOutput.of(new PrintWriter(out, true), new PrintWriter(err, true)));
    return new Run(code, out.toString(), err.toString());
  }

  private String header(String host) {
    return "---------------- Server=http://" + host + ":" + port + " ----------------";
  }

  @Test
  public void outputGroupedPerServerInTheOrderGivenWithTheHighestExitCode() throws Exception {
    credentials.write("rcmdadmin", "secret-rcmd");
    // n2 answers only after n1 has: the output still follows the order given
    Run r = run("n2,n1", "state", "-m", "mirror");
    assertEquals(r.toString(), 1, r.code());
    assertEquals(
        header(N2)
            + "\nrcmdadmin action=exec\nmirror: STOP\nFailure (exit code 1)\n"
            + header(N1)
            + "\nrcmdadmin action=exec\nmirror: PRIM\nSuccess\n",
        r.out());
    assertEquals("not running\n", r.err());
    assertTrue(
        received.toString(),
        received.contains(N1 + " POST exec {\"args\":[\"state\",\"-m\",\"mirror\"]}"));
  }

  @Test
  public void aServerThatIsDownIsAFailureOfItsOwn() throws Exception {
    credentials.write("rcmdadmin", "secret-rcmd");
    n2Answers.countDown();
    long start = System.nanoTime();
    Run r = run("*", "state");
    assertTrue(
        "a refused connection is reported at once",
        System.nanoTime() - start < Duration.ofSeconds(20).toNanos());
    assertEquals(r.toString(), 1, r.code());
    assertTrue(
        r.out(), r.out().contains(header(N1) + "\nrcmdadmin action=exec\nmirror: PRIM\nSuccess\n"));
    assertTrue(
        r.out(),
        r.out().endsWith(header(DOWN) + "\nrcmdadmin action=exec\nFailure (exit code 1)\n"));
    assertTrue(
        r.err(),
        r.err().contains("cannot reach http://" + DOWN + ":" + port + ": connection refused"));
  }

  @Test
  public void aServerThatDoesNotAnswerIsAFailureAfterTheTimeout() throws Exception {
    credentials.write("rcmdadmin", "secret-rcmd");
    timeout = Duration.ofSeconds(1);
    // n2 is never released: it accepts the request and says nothing
    Run r = run("n2", "state");
    assertEquals(r.toString(), 1, r.code());
    assertTrue(
        r.err(),
        r.err().contains("cannot reach http://" + N2 + ":" + port + ": no answer within 1 s"));
    assertTrue(r.out(), r.out().endsWith("Failure (exit code 1)\n"));
  }

  @Test
  public void aWrongPasswordSaysHowToSetIt() throws Exception {
    credentials.write("rcmdadmin", "not-the-one");
    Run r = run("n1", "state");
    assertEquals(r.toString(), 1, r.code());
    assertTrue(r.err(), r.err().contains("refused the distributed-command user rcmdadmin"));
    assertTrue(r.err(), r.err().contains("safekit webservercfg -rcmdpasswd"));
  }

  @Test
  public void errorsBeforeAnyRequest() throws Exception {
    Run none = run("*", "state");
    assertEquals(none.toString(), 1, none.code());
    assertTrue(none.err(), none.err().contains("no distributed-command user on this node"));
    credentials.write("rcmdadmin", "secret-rcmd");
    Run noCluster = run("*", "-G");
    assertEquals(noCluster.toString(), 1, noCluster.code());
    assertTrue(noCluster.err(), noCluster.err().contains("no cluster configuration is applied"));
    Run noModule = run("*", "-E", "nosuch");
    assertEquals(noModule.toString(), 1, noModule.code());
    assertTrue(noModule.err(), noModule.err().contains("module nosuch is not installed"));
    assertEquals(List.of(), received);
  }

  @Test(expected = IllegalArgumentException.class)
  public void aBadServerListIsAUsageError() throws Exception {
    run("n9", "state");
  }

  @Test
  public void clusterPushSendsTheAppliedClusterXml() throws Exception {
    credentials.write("rcmdadmin", "secret-rcmd");
    Path xml = safe.resolve("var/cluster/cluster.xml");
    Files.createDirectories(xml.getParent());
    Files.writeString(xml, "<cluster/>");
    Run r = run("n1,n2", "-G");
    assertEquals(r.toString(), 0, r.code());
    assertTrue(
        r.out(), r.out().contains("rcmdadmin action=clusterconfig\ndone cluster/config\nSuccess"));
    assertTrue(received.toString(), received.contains(N2 + " POST cluster/config <cluster/>"));
  }

  @Test
  public void exportInstallsWithTheLocalIdAndConfiguresThisNodeOnly() throws Exception {
    credentials.write("rcmdadmin", "secret-rcmd");
    Run r = run("n1,n2", "-E", "mirror");
    // n1 is this node: only configured; n2 gets the package with id 7, then refuses the config
    assertEquals(r.toString(), 1, r.code());
    assertTrue(
        received.toString(),
        received.contains(N2 + " POST modules/mirror/install?id=7&reinstall=true PK-mirror"));
    assertTrue(received.toString(), received.contains(N2 + " POST modules/mirror/config "));
    assertTrue(received.toString(), received.contains(N1 + " POST modules/mirror/config "));
    assertEquals(received.toString(), 3, received.size());
    assertTrue(
        r.out(),
        r.out()
            .contains(
                header(N1) + "\nrcmdadmin action=export\ndone modules/mirror/config\nSuccess\n"));
    assertTrue(
        r.out(),
        r.out()
            .contains(
                header(N2)
                    + "\nrcmdadmin action=export\ndone modules/mirror/install?id=7&reinstall=true\nFailure (exit code 1)\n"));
    assertTrue(r.err(), r.err().contains("config -m mirror: the module is running"));
  }

  private ModuleDeployer deployer() {
    return new ModuleDeployer() {
      @Override
      public List<InstalledModule> list() {
        return List.of(
            new InstalledModule(
                "mirror", 7, safe.resolve("modules/mirror"), Optional.empty(), Optional.empty()));
      }

      @Override
      public Path packageModule(String module, Path target) throws DeployException {
        try {
          return Files.writeString(target, "PK-" + module);
        } catch (IOException e) {
          throw new DeployException(e.toString());
        }
      }

      @Override
      public InstalledModule install(
          String module, Optional<Path> file, OptionalInt forcedId, boolean reinstall) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<ConfigurationError> pending(String module) {
        throw new UnsupportedOperationException();
      }

      @Override
      public InstalledModule deploy(Path file) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Path uninstall(String module) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<ModulePort> ports(String module) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<ModulePort> ports(int id) {
        throw new UnsupportedOperationException();
      }

      @Override
      public InstalledModule config(String module) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void deconfig(String module) {
        throw new UnsupportedOperationException();
      }
    };
  }
}
