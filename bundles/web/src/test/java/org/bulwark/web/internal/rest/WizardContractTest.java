package org.bulwark.web.internal.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.ws.rs.core.Response;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.client.JAXRSClientFactoryBean;
import org.apache.cxf.jaxrs.client.WebClient;
import org.apache.cxf.transport.local.LocalConduit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliService;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.api.config.Node;
import org.bulwark.web.internal.auth.ApiKeys;
import org.bulwark.web.internal.auth.Authenticator;
import org.bulwark.web.internal.auth.LoginLimiter;
import org.bulwark.web.internal.auth.Role;
import org.bulwark.web.internal.auth.Sessions;
import org.bulwark.web.internal.auth.UserStore;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The contract of the configuration wizards' endpoints ({@code /wizard/…}): success, bad input
 * (400), wrong role (403), unknown module or template (404), through CXF's in-memory transport with
 * the real providers. The {@code safekit} behind them answers as the real verbs print.
 */
public class WizardContractTest {
  private static final AtomicInteger ENDPOINTS = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What {@code -H … -G} prints for two servers, the second one down. */
  static final String PUSH_OUTPUT =
      "---------------- Server=http://127.0.0.1:9010 ----------------\n"
          + "rcmdadmin action=clusterconfig\n"
          + "cluster configuration applied\n"
          + "Success\n"
          + "---------------- Server=http://127.0.0.2:9010 ----------------\n"
          + "rcmdadmin action=clusterconfig\n"
          + "Connection refused\n"
          + "Failure (exit code 1)\n";

  /** Where the reachability test listens, and where nothing does. */
  private static final String LISTENING = "127.0.0.242";

  private static final String NOTHING = "127.0.0.243";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final List<List<String>> calls = new CopyOnWriteArrayList<>();
  private Path safe;
  private Bus bus;
  private Server server;
  private String address;
  private ServerSocket listening;
  private Path rcmd;

  @Before
  public void start() throws Exception {
    FakeNode node = new FakeNode();
    safe = tmp.getRoot().toPath();
    var env = node.env(safe);
    UserStore users = new UserStore(WebConf.directory(env), 4);
    ApiKeys keys = new ApiKeys(WebConf.directory(env));
    users.setPassword("admin", "admin-secret", null);
    users.setPassword("mon", "monitor-secret", Role.MONITOR);
    users.setPassword("ctl", "control-secret", Role.CONTROL);
    Authenticator authenticator =
        new Authenticator(
            users,
            keys,
            new LoginLimiter(Clock.systemUTC()::instant),
            new Sessions(() -> Instant.parse("2026-12-05T10:00:00Z")));
    // a port where this test listens, for the reachability check (on this branch's addresses)
    listening = new ServerSocket(0, 1, InetAddress.getByName(LISTENING));
    ApiServices services =
        new ApiServices(
            env,
            cli(),
            node.modules(),
            node.events(),
            node.resources(),
            node.commands(),
            config(),
            authenticator,
            keys,
            new NodeForwarder(
                Optional::empty,
                1,
                new org.bulwark.web.internal.rcmd.RcmdCredentials(WebConf.directory(env))));
    bus = BusFactory.newInstance().createBus();
    address = "local://wizard-" + ENDPOINTS.incrementAndGet();
    // the wizard's resource takes the nodes' web port from here: this test's listening port
    System.setProperty("bulwark.web.port", Integer.toString(listening.getLocalPort()));
    try {
      server = RestApi.start(services, bus, address);
    } finally {
      System.clearProperty("bulwark.web.port");
    }
    // the distributed-command user's file, as webservercfg -rcmdpasswd writes it
    rcmd = new org.bulwark.web.internal.rcmd.RcmdCredentials(WebConf.directory(env)).file();
    Files.createDirectories(rcmd.getParent());
    Files.writeString(rcmd, "rcmdadmin:secret\n");
    Path generic = safe.resolve("Application_Modules/generic");
    Files.createDirectories(generic);
    Files.writeString(generic.resolve("mirror.safe"), "PK");
    Files.writeString(generic.resolve("farm.safe"), "PK");
    Files.writeString(generic.resolve("README"), "not a template");
  }

  @After
  public void stop() throws Exception {
    if (server != null) {
      server.destroy();
    }
    if (bus != null) {
      bus.shutdown(true);
    }
    if (listening != null) {
      listening.close();
    }
  }

  /** A {@code safekit} that answers like the real verbs and records what it was asked. */
  private CliService cli() {
    return new CliService() {
      @Override
      public int execute(List<String> args, Map<String, String> environment, CliOutput out) {
        calls.add(List.copyOf(args));
        switch (args.get(0)) {
          case "-H":
            if (args.get(2).equals("-G")) {
              out.out().print(PUSH_OUTPUT);
              return 1;
            }
            out.out().println("---------------- Server=http://127.0.0.1:9010 ----------------");
            out.out().println("rcmdadmin action=export");
            out.out().println("mirror configured");
            out.out().println("Success");
            return 0;
          case "confcheck":
            if (args.contains("broken")) {
              out.err().println("/safe/modules/broken/conf/userconfig.xml:4:3: /safe: bad");
              return 2;
            }
            out.out().println(args.get(2) + ": configuration is valid (mirror module)");
            return 0;
          default:
            out.out().println("done");
            return 0;
        }
      }

      @Override
      public List<String> verbs() {
        return List.of();
      }
    };
  }

  /** Valid unless the file holds {@code bad}: then one error at line 3. */
  private static ConfigService config() {
    return new ConfigService() {
      @Override
      public ConfigResult<ClusterConfig> parseCluster(String fileName, byte[] content) {
        if (new String(content, StandardCharsets.UTF_8).contains("bad")) {
          return new ConfigResult.Invalid<>(
              List.of(new ConfigurationError(fileName, 3, 7, "/cluster/lans/lan", "bad", null)));
        }
        Lan lan = new Lan("default", true, List.of(new Node("n1", "127.0.0.1", Optional.empty())));
        return new ConfigResult.Valid<>(
            new ClusterConfig(4800, Duration.ofMillis(100), 20, 10, List.of(lan)));
      }

      @Override
      public ConfigResult<ModuleConfig> parseModule(
          String fileName, byte[] content, ModuleContext context) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ConfigResult<ClusterConfig> loadCluster(Path file) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ConfigResult<ModuleConfig> loadModule(Path file, ModuleContext context) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private WebClient client(String user, String password) {
    JAXRSClientFactoryBean bean = new JAXRSClientFactoryBean();
    bean.setAddress(address);
    bean.setBus(bus);
    WebClient c = bean.createWebClient();
    WebClient.getConfig(c).getRequestContext().put(LocalConduit.DIRECT_DISPATCH, Boolean.TRUE);
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    c.header("Authorization", "Basic " + token);
    return c.accept("application/json", Problem.MEDIA_TYPE);
  }

  private WebClient admin() {
    return client("admin", "admin-secret");
  }

  private record Answer(int status, String type, JsonNode body) {}

  private static Answer answer(Response r) throws Exception {
    String text = r.readEntity(String.class);
    JsonNode body = text == null || text.isEmpty() ? null : JSON.readTree(text);
    return new Answer(
        r.getStatus(), r.getMediaType() == null ? null : r.getMediaType().toString(), body);
  }

  private static void assertProblem(Answer a, int status, String detail) {
    assertEquals(String.valueOf(a.body()), status, a.status());
    assertTrue(a.type(), a.type().startsWith(Problem.MEDIA_TYPE));
    String text = a.body().get("detail").asText();
    assertTrue(text, text.contains(detail));
  }

  private static Answer send(WebClient c, String method, String path, String type, String body)
      throws Exception {
    int q = path.indexOf('?');
    c.path(q < 0 ? path : path.substring(0, q));
    if (q >= 0) {
      for (String pair : path.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        c.query(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    if (type != null) {
      c.type(type);
    }
    return answer(c.invoke(method, body));
  }

  @Test
  public void templatesAreTheGenericSafeFiles() throws Exception {
    Answer a = send(admin(), "GET", "wizard/templates", null, null);
    assertEquals(200, a.status());
    assertEquals(2, a.body().size());
    assertEquals("farm", a.body().get(0).get("name").asText());
    assertEquals("generic/mirror.safe", a.body().get(1).get("file").asText());
  }

  @Test
  public void reachabilityTriesOnlyTheAddressesGiven() throws Exception {
    Answer a =
        send(
            admin(),
            "POST",
            "wizard/reachability",
            "application/json",
            "{\"addresses\":[\"" + LISTENING + "\",\"" + NOTHING + "\"]}");
    assertEquals(String.valueOf(a.body()), 200, a.status());
    assertTrue(a.body().get(0).toString(), a.body().get(0).get("reachable").asBoolean());
    assertEquals(listening.getLocalPort(), a.body().get(0).get("port").asInt());
    assertFalse(a.body().get(1).get("reachable").asBoolean());
    assertTrue(a.body().get(1).get("detail").asText().length() > 0);

    assertProblem(
        send(admin(), "POST", "wizard/reachability", "application/json", "{\"addresses\":[]}"),
        400,
        "'addresses' is missing or empty");
    assertProblem(
        send(
            admin(),
            "POST",
            "wizard/reachability",
            "application/json",
            "{\"addresses\":[\"10.0.0.1\",\"a b\"]}"),
        400,
        "addresses[1]: 'a b' is not an IP address");
    assertProblem(
        send(admin(), "POST", "wizard/reachability", "application/json", "[1,"),
        400,
        "the body is not JSON");
  }

  @Test
  public void clusterApplyChecksThenAppliesHereThenEverywhere() throws Exception {
    Answer bad =
        send(admin(), "POST", "wizard/cluster/apply", "application/xml", "<cluster>bad</cluster>");
    assertEquals(200, bad.status());
    assertFalse(bad.body().get("valid").asBoolean());
    assertEquals(3, bad.body().get("errors").get(0).get("line").asInt());
    assertTrue("nothing applied", calls.isEmpty());

    Answer ok =
        send(admin(), "POST", "wizard/cluster/apply", "application/xml", "<cluster></cluster>");
    assertEquals(String.valueOf(ok.body()), 200, ok.status());
    assertTrue(ok.body().get("valid").asBoolean());
    JsonNode servers = ok.body().get("servers");
    assertEquals(2, servers.size());
    assertEquals("http://127.0.0.1:9010", servers.get(0).get("server").asText());
    assertTrue(servers.get(0).get("success").asBoolean());
    assertEquals("cluster configuration applied", servers.get(0).get("output").asText());
    assertFalse(servers.get(1).get("success").asBoolean());
    assertEquals("Connection refused", servers.get(1).get("output").asText());
    assertEquals(List.of("cluster", "config"), calls.get(0).subList(0, 2));
    assertEquals(List.of("-H", "*", "-G", "-u"), calls.get(1).subList(0, 4));

    assertProblem(
        send(admin(), "POST", "wizard/cluster/apply", "application/xml", ""),
        400,
        "the body must be a cluster.xml");
  }

  @Test
  public void aModuleFromATemplateIsInstalledEditedCheckedAndApplied() throws Exception {
    Answer installed =
        send(admin(), "POST", "wizard/modules/web1/install?template=mirror&id=12", null, null);
    assertEquals(String.valueOf(installed.body()), 200, installed.status());
    List<String> install = calls.get(0);
    assertEquals(List.of("module", "install", "-m", "web1", "-M", "12"), install.subList(0, 6));
    assertTrue(install.get(6), install.get(6).endsWith("generic/mirror.safe"));

    // the verb would have unpacked it: the test does
    Path module = safe.resolve("modules/web1");
    Files.createDirectories(module.resolve("conf"));
    Files.createDirectories(module.resolve("bin"));
    Files.writeString(module.resolve("conf/userconfig.xml"), "<safe/>");
    Files.writeString(module.resolve("bin/start_prim"), "#!/bin/sh\n");
    Answer files = send(admin(), "GET", "wizard/modules/web1/files", null, null);
    assertEquals(200, files.status());
    assertEquals("conf/userconfig.xml", files.body().get(0).get("path").asText());
    assertEquals("bin/start_prim", files.body().get(1).get("path").asText());

    Answer saved =
        send(
            admin(),
            "PUT",
            "wizard/modules/web1/files",
            "application/json",
            "{\"files\":[{\"path\":\"conf/userconfig.xml\",\"content\":\"<safe>x</safe>\"},"
                + "{\"path\":\"bin/stop_prim\",\"content\":\"#!/bin/sh\\nexit 0\\n\"}]}");
    assertEquals(String.valueOf(saved.body()), 200, saved.status());
    assertTrue(saved.body().get("valid").asBoolean());
    assertEquals("<safe>x</safe>", Files.readString(module.resolve("conf/userconfig.xml")));
    assertTrue(Files.isExecutable(module.resolve("bin/stop_prim")));

    Answer applied = send(admin(), "POST", "wizard/modules/web1/apply?nodes=n1,n2", null, null);
    assertEquals(String.valueOf(applied.body()), 200, applied.status());
    assertTrue(applied.body().get(0).get("success").asBoolean());
    assertEquals(List.of("-H", "n1,n2", "-E", "web1"), calls.get(calls.size() - 1).subList(0, 4));
  }

  @Test
  public void anInvalidModuleConfigurationIsAnAnswerWithItsLines() throws Exception {
    Files.createDirectories(safe.resolve("modules/broken/conf"));
    Answer saved =
        send(
            admin(),
            "PUT",
            "wizard/modules/broken/files",
            "application/json",
            "{\"files\":[{\"path\":\"conf/userconfig.xml\",\"content\":\"<safe>\"}]}");
    assertEquals(200, saved.status());
    assertFalse(saved.body().get("valid").asBoolean());
    assertTrue(saved.body().get("output").asText().contains("userconfig.xml:4:3:"));
  }

  @Test
  public void withoutTheDistributedCommandUserNothingIsApplied() throws Exception {
    Files.delete(rcmd);
    assertProblem(
        send(admin(), "POST", "wizard/cluster/apply", "application/xml", "<cluster></cluster>"),
        409,
        "webservercfg -rcmdpasswd");
    Files.createDirectories(safe.resolve("modules/web1"));
    assertProblem(
        send(admin(), "POST", "wizard/modules/web1/apply?nodes=n1", null, null),
        409,
        "webservercfg -rcmdpasswd");
    assertTrue("nothing ran: " + calls, calls.isEmpty());
  }

  @Test
  public void badInputIsAProblemNamingTheField() throws Exception {
    assertProblem(
        send(admin(), "POST", "wizard/modules/web1/install?template=nosuch", null, null),
        404,
        "no template 'nosuch'");
    assertProblem(
        send(admin(), "POST", "wizard/modules/web1/install", null, null),
        400,
        "'template' is missing");
    assertProblem(
        send(admin(), "POST", "wizard/modules/web1/install?template=mirror&id=0", null, null),
        400,
        "'id' must be a number from 1");
    assertProblem(
        send(admin(), "GET", "wizard/modules/nosuch/files", null, null),
        404,
        "module nosuch is not installed");
    Files.createDirectories(safe.resolve("modules/web1"));
    assertProblem(
        send(
            admin(),
            "PUT",
            "wizard/modules/web1/files",
            "application/json",
            "{\"files\":[{\"path\":\"../../etc/passwd\",\"content\":\"x\"}]}"),
        400,
        "files[0].path: '../../etc/passwd' is not conf/userconfig.xml");
    assertProblem(
        send(admin(), "POST", "wizard/modules/web1/apply", null, null), 400, "'nodes' is missing");
    assertProblem(
        send(admin(), "POST", "wizard/modules/web1/apply?nodes=n1,a%20b", null, null),
        400,
        "is not a node name");
  }

  @Test
  public void onlyAnAdminMayUseTheWizards() throws Exception {
    for (String[] who : new String[][] {{"mon", "monitor-secret"}, {"ctl", "control-secret"}}) {
      WebClient c = client(who[0], who[1]);
      assertProblem(send(c, "GET", "wizard/templates", null, null), 403, "this needs");
      assertProblem(
          send(
              client(who[0], who[1]),
              "POST",
              "wizard/reachability",
              "application/json",
              "{\"addresses\":[\"127.0.0.1\"]}"),
          403,
          "Admin");
      assertProblem(
          send(
              client(who[0], who[1]),
              "POST",
              "wizard/cluster/apply",
              "application/xml",
              "<cluster/>"),
          403,
          "Admin");
      assertProblem(
          send(
              client(who[0], who[1]),
              "POST",
              "wizard/modules/m/install?template=mirror",
              null,
              null),
          403,
          "Admin");
      assertProblem(
          send(client(who[0], who[1]), "POST", "wizard/modules/m/apply?nodes=n1", null, null),
          403,
          "Admin");
    }
    assertTrue("no command ran", calls.isEmpty());
  }

  @Test
  public void serverSectionsAreSplitAsPrinted() {
    List<WizardCli.ServerResult> servers = WizardCli.servers(PUSH_OUTPUT);
    assertEquals(2, servers.size());
    assertEquals(
        new WizardCli.ServerResult(
            "http://127.0.0.1:9010", true, 0, "cluster configuration applied"),
        servers.get(0));
    assertEquals(1, servers.get(1).exitCode());
    // an answer cut short has no verdict: a failure
    List<WizardCli.ServerResult> cut =
        WizardCli.servers("---------------- Server=http://h:1 ----------------\nu action=x\nhalf");
    assertFalse(cut.get(0).success());
    assertTrue(WizardCli.servers("Error: no distributed-command user").isEmpty());
  }
}
