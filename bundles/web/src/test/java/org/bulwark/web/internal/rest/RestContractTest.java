package org.bulwark.web.internal.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.core.Response;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.client.JAXRSClientFactoryBean;
import org.apache.cxf.jaxrs.client.WebClient;
import org.apache.cxf.transport.local.LocalConduit;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.Node;
import org.bulwark.web.internal.auth.ApiKeys;
import org.bulwark.web.internal.auth.Authenticator;
import org.bulwark.web.internal.auth.Delegation;
import org.bulwark.web.internal.auth.LoginLimiter;
import org.bulwark.web.internal.auth.Role;
import org.bulwark.web.internal.auth.Sessions;
import org.bulwark.web.internal.auth.UserStore;
import org.bulwark.web.internal.rcmd.RcmdCredentials;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The REST contract, through CXF's in-memory transport with the real providers (JSON, problem
 * documents, roles): success, bad input (400), no credentials (401), wrong role (403), unknown
 * module or action (404), a failing command (409), all as {@code application/problem+json}.
 */
public class RestContractTest {
  private static final AtomicInteger ENDPOINTS = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The other node of the forwarding tests, and an address where no node answers. */
  private static final String OTHER_NODE = "127.0.0.182";

  private static final String NOBODY = "127.0.0.183";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private FakeNode node;
  private UserStore users;
  private ApiKeys keys;
  private Bus bus;
  private Server server;
  private String address;

  /** The other node of the forwarding tests: records what reaches it. */
  private HttpServer otherNode;

  /** The time of the sessions, which the tests move. */
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-12-05T10:00:00Z"));

  private final List<String> forwarded = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** For whom each forwarded request was relayed: the delegation headers, "-" when absent. */
  private final List<String> relayedFor = new java.util.concurrent.CopyOnWriteArrayList<>();

  private RcmdCredentials rcmd;
  private final AtomicReference<Optional<ClusterConfig>> cluster =
      new AtomicReference<>(Optional.empty());

  @Before
  public void start() throws Exception {
    otherNode = HttpServer.create(new InetSocketAddress(OTHER_NODE, 0), 0);
    otherNode.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          forwarded.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + new String(body, StandardCharsets.UTF_8));
          var h = exchange.getRequestHeaders();
          relayedFor.add(
              String.join(
                  " ",
                  String.valueOf(h.getFirst(Delegation.USER)),
                  String.valueOf(h.getFirst(Delegation.ROLE)),
                  String.valueOf(h.getFirst(Delegation.ADDRESS))));
          byte[] answer = "{\"from\":\"node2\"}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange
              .getResponseHeaders()
              .add("Content-Disposition", "attachment; filename=\"x.zip\"");
          exchange.sendResponseHeaders(202, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    otherNode.start();
    node = new FakeNode();
    Path safe = tmp.getRoot().toPath();
    var env = node.env(safe);
    users = new UserStore(WebConf.directory(env), 4);
    keys = new ApiKeys(WebConf.directory(env));
    Authenticator authenticator =
        new Authenticator(
            users, keys, new LoginLimiter(Clock.systemUTC()::instant), new Sessions(now::get));
    ApiServices services =
        node.services(
            env,
            authenticator,
            keys,
            new NodeForwarder(
                cluster::get,
                otherNode.getAddress().getPort(),
                rcmd = new RcmdCredentials(WebConf.directory(env))));
    bus = BusFactory.newInstance().createBus();
    address = "local://api-" + ENDPOINTS.incrementAndGet();
    server = RestApi.start(services, bus, address);
  }

  @After
  public void stop() {
    if (server != null) {
      server.destroy();
    }
    if (bus != null) {
      bus.shutdown(true);
    }
    if (otherNode != null) {
      otherNode.stop(0);
    }
  }

  private void withUsers() throws Exception {
    users.setPassword("admin", "admin-secret", null);
    users.setPassword("mon", "monitor-secret", Role.MONITOR);
    users.setPassword("ctl", "control-secret", Role.CONTROL);
  }

  private WebClient client(String user, String password) {
    JAXRSClientFactoryBean bean = new JAXRSClientFactoryBean();
    bean.setAddress(address);
    bean.setBus(bus);
    WebClient c = bean.createWebClient();
    WebClient.getConfig(c).getRequestContext().put(LocalConduit.DIRECT_DISPATCH, Boolean.TRUE);
    if (user != null) {
      String token =
          Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      c.header("Authorization", "Basic " + token);
    }
    return c.accept("application/json", Problem.MEDIA_TYPE);
  }

  /** A response's status and its body as JSON. */
  private record Answer(int status, String type, JsonNode body, Response response) {}

  private static Answer answer(Response r) throws Exception {
    String text = r.readEntity(String.class);
    JsonNode body = text == null || text.isEmpty() ? null : JSON.readTree(text);
    String type = r.getMediaType() == null ? null : r.getMediaType().toString();
    return new Answer(r.getStatus(), type, body, r);
  }

  private Answer get(WebClient c, String path) throws Exception {
    return answer(at(c, path).get());
  }

  private Answer post(WebClient c, String path) throws Exception {
    return answer(at(c, path).post(null));
  }

  /** A POST of {@code body} as application/xml. */
  private Answer postXml(WebClient c, String path, Object body) throws Exception {
    return answer(at(c, path).type("application/xml").post(body));
  }

  /** The client at {@code path?query}: the query as parameters, not encoded into the path. */
  private static WebClient at(WebClient c, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    c.path(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
    if (q >= 0) {
      for (String pair : pathAndQuery.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        c.query(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return c;
  }

  /** Asserts a problem document of {@code status} whose detail contains {@code detail}. */
  private static void assertProblem(Answer a, int status, String detail) {
    assertEquals(String.valueOf(a.body()), status, a.status());
    assertTrue(a.type(), a.type().startsWith(Problem.MEDIA_TYPE));
    assertEquals(status, a.body().get("status").asInt());
    assertNotNull(a.body().get("title"));
    String text = a.body().get("detail").asText();
    assertTrue(text, text.contains(detail));
  }

  @Test
  public void levelIsAnonymous() throws Exception {
    Answer a = get(client(null, null), "level");
    assertEquals(200, a.status());
    assertEquals("Demo (No license)", a.body().get("license").asText());
    assertEquals("node1", a.body().get("host").asText());
  }

  @Test
  public void withoutAnyUserTheApiSaysHowToSetOne() throws Exception {
    assertProblem(get(client(null, null), "modules"), 401, "safekit webservercfg -passwd");
    // no default password either
    assertProblem(get(client("admin", "admin"), "modules"), 401, "safekit webservercfg -passwd");
  }

  @Test
  public void noCredentialsIs401WithAChallenge() throws Exception {
    withUsers();
    Answer a = get(client(null, null), "modules");
    assertProblem(a, 401, "credentials are required");
    String challenge = a.response().getHeaderString("WWW-Authenticate");
    assertTrue(challenge, challenge.contains("Basic") && challenge.contains("Bearer"));
    assertProblem(get(client("mon", "wrong-password"), "modules"), 401, "wrong user name");
  }

  @Test
  public void theConsolesRequestsGetNoBasicChallenge() throws Exception {
    // a browser would hold a request challenged with Basic and open its own password dialog
    withUsers();
    Answer a = get(client(null, null).header("X-Requested-With", "XMLHttpRequest"), "modules");
    assertProblem(a, 401, "credentials are required");
    assertEquals("Bearer realm=\"bulwark\"", a.response().getHeaderString("WWW-Authenticate"));
  }

  @Test
  public void monitorReadsModulesStatesResourcesAndLogs() throws Exception {
    withUsers();
    Answer list = get(client("mon", "monitor-secret"), "modules");
    assertEquals(200, list.status());
    assertEquals("appa", list.body().get(0).get("name").asText());
    assertEquals("UP", list.body().get(0).get("state").asText());
    assertEquals("Ready", list.body().get(0).get("readiness").asText());

    Answer one = get(client("mon", "monitor-secret"), "modules/appa");
    assertEquals(200, one.status());
    assertEquals("light", one.body().get("module").get("kind").asText());
    assertEquals("usersetting.errd", one.body().get("resources").get(0).get("name").asText());

    Answer history =
        get(client("mon", "monitor-secret"), "modules/appa/resources/usersetting.errd");
    assertEquals(200, history.status());
    assertEquals(2, history.body().size());
    assertEquals("off", history.body().get(0).get("value").asText());

    Answer log = get(client("mon", "monitor-secret"), "modules/appa/log");
    assertEquals(200, log.status());
    assertEquals(4, log.body().get("entries").size()); // the I row is verbose only
    Answer verbose = get(client("mon", "monitor-secret"), "modules/appa/log?verbose=true");
    assertEquals(5, verbose.body().get("entries").size());
  }

  @Test
  public void moduleLogFiltersAndPages() throws Exception {
    withUsers();
    Answer events = get(client("mon", "monitor-secret"), "modules/appa/log?level=E,C");
    List<String> messages = messages(events.body());
    assertEquals(
        List.of("Local state UP Ready", "Process sleep not running", "Local state STOP NotReady"),
        messages);
    Answer first = get(client("mon", "monitor-secret"), "modules/appa/log?after=0&limit=2");
    assertEquals(
        List.of("Local state UP Ready", "Action start called by admin"), messages(first.body()));
    long next = first.body().get("next").asLong();
    Answer second =
        get(client("mon", "monitor-secret"), "modules/appa/log?after=" + next + "&limit=2");
    assertEquals(
        List.of("Process sleep not running", "Local state STOP NotReady"), messages(second.body()));
    Answer heart = get(client("mon", "monitor-secret"), "modules/appa/log?component=heart&limit=1");
    assertEquals(List.of("Local state STOP NotReady"), messages(heart.body()));
  }

  @Test
  public void moduleLogBeforeARowIsItsContext() throws Exception {
    withUsers();
    // the console's context of row 4 (the critical one): the verbose rows just before it
    Answer context =
        get(client("mon", "monitor-secret"), "modules/appa/log?verbose=true&before=4&limit=2");
    assertEquals(200, context.status());
    assertEquals(
        List.of("start_both says hello", "Action start called by admin"), messages(context.body()));
    assertEquals(3, context.body().get("next").asLong()); // after=3: row 4 and on
    Answer main = get(client("mon", "monitor-secret"), "modules/appa/log?before=4");
    assertEquals(
        List.of("Local state UP Ready", "Action start called by admin"), messages(main.body()));
    Answer none = get(client("mon", "monitor-secret"), "modules/appa/log?before=1");
    assertEquals(List.of(), messages(none.body()));
  }

  private static List<String> messages(JsonNode page) {
    List<String> m = new ArrayList<>();
    page.get("entries").forEach(e -> m.add(e.get("message").asText()));
    return m;
  }

  @Test
  public void badQueryParametersAre400NamingTheParameter() throws Exception {
    withUsers();
    WebClient c = client("mon", "monitor-secret");
    assertProblem(get(c, "modules/appa/log?limit=0"), 400, "'limit'");
    assertProblem(get(client("mon", "monitor-secret"), "modules/appa/log?level=X"), 400, "'level'");
    assertProblem(
        get(client("mon", "monitor-secret"), "modules/appa/log?after=-3"), 400, "'after'");
    assertProblem(
        get(client("mon", "monitor-secret"), "modules/appa/log?verbose=yes"), 400, "'verbose'");
    // a client per request: a WebClient keeps the path it was given
    String[][] pages = {{"before=x", "'before'"}, {"after=1&before=4", "'after' and 'before'"}};
    for (String[] bad : pages) {
      assertProblem(
          get(client("mon", "monitor-secret"), "modules/appa/log?" + bad[0]), 400, bad[1]);
    }
    assertProblem(get(client("mon", "monitor-secret"), "cmdlog?limit=many"), 400, "'limit'");
    assertProblem(
        post(client("ctl", "control-secret"), "modules/appa/prim?fullsync=maybe"),
        400,
        "'fullsync'");
    assertProblem(
        post(client("ctl", "control-secret"), "modules/appa/start?nosync=true"), 400, "nosync");
    assertProblem(
        post(client("ctl", "control-secret"), "modules/appa/errd/maybe"), 400, "on or off");
    assertTrue("nothing ran", node.cliCalls.isEmpty());
  }

  @Test
  public void unknownModuleActionOrPathIs404() throws Exception {
    withUsers();
    assertProblem(get(client("mon", "monitor-secret"), "modules/nosuch"), 404, "nosuch");
    assertProblem(get(client("mon", "monitor-secret"), "modules/nosuch/log"), 404, "nosuch");
    assertProblem(post(client("ctl", "control-secret"), "modules/nosuch/start"), 404, "nosuch");
    assertProblem(post(client("ctl", "control-secret"), "modules/appa/dance"), 404, "'dance'");
    assertProblem(
        get(client("mon", "monitor-secret"), "modules/appa/resources/nosuch"), 404, "nosuch");
    assertProblem(get(client("mon", "monitor-secret"), "no/such/path"), 404, "no such resource");
    assertTrue("nothing ran", node.cliCalls.isEmpty());
  }

  @Test
  public void monitorCannotControl() throws Exception {
    withUsers();
    assertProblem(post(client("mon", "monitor-secret"), "modules/appa/stop"), 403, "Control");
    assertProblem(post(client("mon", "monitor-secret"), "modules/appa/errd/off"), 403, "Control");
    assertProblem(post(client("ctl", "control-secret"), "apikey/Monitor/tool"), 403, "Admin");
    assertTrue("nothing ran", node.cliCalls.isEmpty());
  }

  @Test
  public void controlRunsTheVerbWithItsOrigin() throws Exception {
    withUsers();
    Answer a = post(client("ctl", "control-secret"), "modules/appa/prim?fullsync=true");
    assertEquals(String.valueOf(a.body()), 200, a.status());
    assertEquals(0, a.body().get("exitCode").asInt());
    assertEquals(
        List.of(List.of("prim", "fullsync", "-m", "appa", "-u", "ctl@local")), node.cliCalls);
    node.cliCalls.clear();
    assertEquals(200, post(client("admin", "admin-secret"), "modules/appa/checker/off").status());
    assertEquals(
        List.of(List.of("checker", "off", "-m", "appa", "-u", "admin@local")), node.cliCalls);
  }

  @Test
  public void aRefusedCommandIs409WithItsMessage() throws Exception {
    withUsers();
    node.exitCode = 1;
    node.cliError = "module appa is not stopped";
    assertProblem(
        post(client("ctl", "control-secret"), "modules/appa/start"),
        409,
        "module appa is not stopped");
    node.exitCode = 2;
    node.cliError = "unexpected argument";
    assertProblem(post(client("ctl", "control-secret"), "modules/appa/stop"), 400, "unexpected");
  }

  @Test
  public void apiKeysCarryTheirRoleAndAreJournaled() throws Exception {
    withUsers();
    Answer created = post(client("admin", "admin-secret"), "apikey/Control/ci-tool");
    assertEquals(String.valueOf(created.body()), 200, created.status());
    String token = created.body().get("token").asText();
    assertEquals("Control", created.body().get("role").asText());

    WebClient tool = client(null, null);
    tool.header("Authorization", "Bearer " + token);
    assertEquals(200, post(tool, "modules/appa/stop").status());
    assertEquals(List.of("stop", "-m", "appa", "-u", "apikey:ci-tool@local"), node.cliCalls.get(0));
    WebClient tool2 = client(null, null).header("Authorization", "Bearer " + token);
    assertProblem(post(tool2, "apikey/Admin/escalate"), 403, "Admin");

    Answer listed = get(client("admin", "admin-secret"), "apikey");
    assertEquals("ci-tool", listed.body().get(0).get("name").asText());
    assertFalse(listed.body().toString(), listed.body().toString().contains(token));

    assertEquals(204, client("admin", "admin-secret").path("apikey/ci-tool").delete().getStatus());
    WebClient gone = client(null, null).header("Authorization", "Bearer " + token);
    assertProblem(get(gone, "modules"), 401, "unknown or deleted API key");
    assertTrue(
        node.commandRows.toString(),
        node.commandRows.stream()
            .anyMatch(r -> r.text().equals("apikey create Control ci-tool -u admin@local")));
    assertProblem(
        post(client("admin", "admin-secret"), "apikey/Root/x"), 400, "Admin, Control or Monitor");
  }

  @Test
  public void clusterCheckListsTheErrorsAtTheirLine() throws Exception {
    withUsers();
    Answer a =
        postXml(
            client("admin", "admin-secret"),
            "cluster/check",
            "<cluster><lans><lan/></lans></cluster>");
    assertEquals(200, a.status());
    assertFalse(a.body().get("valid").asBoolean());
    assertEquals(3, a.body().get("errors").get(0).get("line").asInt());
    assertProblem(
        answer(
            client("admin", "admin-secret")
                .path("cluster/check")
                .type("application/json")
                .post("{}")),
        415,
        "content type");
    assertProblem(
        postXml(client("admin", "admin-secret"), "cluster/check", new byte[Bodies.MAX + 1]),
        413,
        "1 MiB");
    assertProblem(
        postXml(client("admin", "admin-secret"), "cluster/check", ""),
        400,
        "must be a cluster.xml");
    assertProblem(postXml(client("mon", "monitor-secret"), "cluster/check", "<x/>"), 403, "Admin");
  }

  @Test
  public void anotherNodeIsReachedThroughThisOne() throws Exception {
    withUsers();
    assertProblem(
        get(client("mon", "monitor-secret"), "nodes/node2/modules"),
        404,
        "no cluster configuration");
    Lan lan =
        new Lan(
            "default",
            true,
            List.of(
                new Node("node1", "127.0.0.1", Optional.empty()),
                new Node("node2", OTHER_NODE, Optional.empty()),
                new Node("down", NOBODY, Optional.empty())));
    cluster.set(Optional.of(new ClusterConfig(4800, Duration.ofMillis(100), 20, 10, List.of(lan))));

    Answer a = post(client("ctl", "control-secret"), "nodes/node2/modules/appa/prim?fullsync=true");
    assertEquals(202, a.status());
    assertEquals("node2", a.body().get("from").asText());
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("ctl:control-secret".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        List.of("POST /api/v1.0/modules/appa/prim?fullsync=true " + basic + " null "), forwarded);
    forwarded.clear();
    Answer check =
        postXml(client("admin", "admin-secret"), "nodes/node2/cluster/check", "<cluster/>");
    assertEquals(202, check.status());
    assertTrue(forwarded.toString(), forwarded.get(0).endsWith(" application/xml <cluster/>"));
    assertTrue("nothing ran here", node.cliCalls.isEmpty());

    assertProblem(get(client("mon", "monitor-secret"), "nodes/node9/modules"), 404, "node9");
    assertProblem(
        get(client("mon", "monitor-secret"), "nodes/down/modules"), 502, "cannot be reached");
    assertProblem(get(client(null, null), "nodes/node2/modules"), 401, "credentials");
  }

  @Test
  public void theCommandsLogIsReadPageByPageBackInTime() throws Exception {
    withUsers();
    for (int i = 1; i <= 5; i++) {
      node.commandRows.add(
          new org.bulwark.api.store.CommandLogEntry(
              Instant.EPOCH,
              "safekit",
              "appa",
              i,
              org.bulwark.api.store.CommandLogEntry.Kind.START,
              "row " + i));
    }
    Answer newest = get(client("mon", "monitor-secret"), "cmdlog?limit=2");
    assertEquals(200, newest.status());
    assertEquals("row 4", newest.body().get(0).get("text").asText());
    assertEquals("row 5", newest.body().get(1).get("text").asText());
    String link = newest.response().getHeaderString("Link");
    assertTrue(link, link.contains("rel=\"next\""));
    assertTrue(link, link.contains("before=4") && link.contains("limit=2"));
    Answer older = get(client("mon", "monitor-secret"), "cmdlog?limit=2&before=4");
    assertEquals("row 2", older.body().get(0).get("text").asText());
    Answer oldest = get(client("mon", "monitor-secret"), "cmdlog?limit=2&before=2");
    assertEquals(1, oldest.body().size());
    assertEquals("row 1", oldest.body().get(0).get("text").asText());
    assertEquals(null, oldest.response().getHeaderString("Link"));
    assertProblem(get(client("mon", "monitor-secret"), "cmdlog?before=-3"), 400, "'before'");
    assertProblem(get(client(null, null), "cmdlog"), 401, "credentials");
  }

  @Test
  public void theStatesTimelineIsNewestFirstAndBounded() throws Exception {
    withUsers();
    Answer a = get(client("mon", "monitor-secret"), "modules/appa/timeline");
    assertEquals(200, a.status());
    List<String> seen = new ArrayList<>();
    a.body().forEach(c -> seen.add(c.get("side").asText() + " " + c.get("state").asText()));
    assertEquals(
        List.of("remote SECOND", "local PRIM", "local WAIT", "remote UNKNOWN", "local STOP"), seen);
    assertEquals("2026-12-05T10:00:03Z", a.body().get(0).get("time").asText());
    Answer two = get(client("mon", "monitor-secret"), "modules/appa/timeline?limit=2");
    assertEquals(2, two.body().size());
    assertProblem(
        get(client("mon", "monitor-secret"), "modules/appa/timeline?limit=0"), 400, "limit");
    assertProblem(get(client("mon", "monitor-secret"), "modules/nosuch/timeline"), 404, "nosuch");
    assertProblem(get(client(null, null), "modules/appa/timeline"), 401, "credentials");
  }

  /** SAFE/modules/appa installed, with two saved configurations of it and one of another. */
  private void savedConfigurations() throws Exception {
    Path modules = tmp.getRoot().toPath().resolve("modules");
    java.nio.file.Files.createDirectories(modules.resolve("appa"));
    Path saved = java.nio.file.Files.createDirectories(modules.resolve("lastconfig"));
    for (String f :
        List.of(
            "appa_20261204_090000.safe",
            "appa_20261205_100000.safe",
            "appab_20261205_110000.safe")) {
      java.nio.file.Files.writeString(saved.resolve(f), "PK");
    }
  }

  @Test
  public void adminListsAndRestoresTheLastConfigurations() throws Exception {
    withUsers();
    savedConfigurations();
    Answer list = get(client("admin", "admin-secret"), "modules/appa/lastconfig");
    assertEquals(200, list.status());
    assertEquals(2, list.body().size());
    assertEquals("appa_20261205_100000.safe", list.body().get(0).get("name").asText());
    assertEquals("appa_20261204_090000.safe", list.body().get(1).get("name").asText());
    assertTrue(list.body().get(0).get("time").asText().startsWith("2026-12-05T10:00"));

    Answer restored =
        post(
            client("admin", "admin-secret"),
            "modules/appa/lastconfig/appa_20261204_090000.safe/restore?apply=true");
    assertEquals(restored.body().toString(), 200, restored.status());
    Path file = tmp.getRoot().toPath().resolve("modules/lastconfig/appa_20261204_090000.safe");
    assertEquals(
        List.of(
            List.of("module", "install", "-m", "appa", "-r", file.toString(), "-u", "admin@local"),
            List.of("config", "-m", "appa", "-u", "admin@local")),
        node.cliCalls);
    assertEquals(2, restored.body().size());
  }

  @Test
  public void restoringRefusesWhatItMustAndRunsNothing() throws Exception {
    withUsers();
    savedConfigurations();
    String restore = "modules/appa/lastconfig/appa_20261205_100000.safe/restore";
    assertProblem(post(client("ctl", "control-secret"), restore), 403, "Admin");
    assertProblem(get(client("mon", "monitor-secret"), "modules/appa/lastconfig"), 403, "Admin");
    assertProblem(post(client("admin", "admin-secret"), restore + "?apply=yes"), 400, "apply");
    assertProblem(
        post(
            client("admin", "admin-secret"),
            "modules/appa/lastconfig/appab_20261205_110000.safe/restore"),
        404,
        "no saved configuration");
    assertProblem(
        post(client("admin", "admin-secret"), "modules/appa/lastconfig/..%2F..%2Fetc/restore"),
        404,
        "");
    assertProblem(get(client("admin", "admin-secret"), "modules/nosuch/lastconfig"), 404, "nosuch");
    assertTrue("nothing ran", node.cliCalls.isEmpty());
    // the verb's refusal is a 409 with its message
    node.exitCode = 1;
    node.cliError = "module appa is running: stop it first";
    assertProblem(post(client("admin", "admin-secret"), restore), 409, "stop it first");
  }

  @Test
  public void applicationLogsAreListedByScriptAndReadPageByPage() throws Exception {
    withUsers();
    savedConfigurations();
    Path var =
        java.nio.file.Files.createDirectories(tmp.getRoot().toPath().resolve("var/modules/appa"));
    java.nio.file.Files.writeString(
        var.resolve("userlog_2026-12-05T100000_start_prim.ulog"), "one\ntwo\nthree\n");
    java.nio.file.Files.writeString(
        var.resolve("userlog_2026-12-05T100100_stop_prim.ulog"), "bye\n");
    java.nio.file.Files.writeString(
        var.resolve("userlog_2026-12-05T100200_start_prim.ulog"), "again\n");
    java.nio.file.Files.writeString(var.resolve("other.txt"), "not a log");
    String mon = "monitor-secret";

    Answer all = get(client("mon", mon), "modules/appa/userlogs");
    assertEquals(200, all.status());
    assertEquals(3, all.body().get("logs").size());
    assertEquals(
        "userlog_2026-12-05T100200_start_prim.ulog",
        all.body().get("logs").get(0).get("name").asText());
    assertEquals("start_prim", all.body().get("logs").get(0).get("script").asText());
    Answer first = get(client("mon", mon), "modules/appa/userlogs?script=start_prim&limit=1");
    assertEquals(1, first.body().get("logs").size());
    String next = first.body().get("next").asText();
    Answer older =
        get(client("mon", mon), "modules/appa/userlogs?script=start_prim&limit=1&before=" + next);
    assertEquals(
        "userlog_2026-12-05T100000_start_prim.ulog",
        older.body().get("logs").get(0).get("name").asText());
    assertFalse(older.body().has("next"));

    String log = "modules/appa/userlogs/userlog_2026-12-05T100000_start_prim.ulog";
    Answer page = get(client("mon", mon), log + "?limit=2");
    assertEquals("[\"one\",\"two\"]", page.body().get("lines").toString());
    assertEquals(2, page.body().get("next").asLong());
    Answer rest = get(client("mon", mon), log + "?after=2");
    assertEquals("[\"three\"]", rest.body().get("lines").toString());
    assertEquals(3, rest.body().get("first").asLong());
    assertFalse(rest.body().has("next"));

    assertProblem(
        get(client("mon", mon), "modules/appa/userlogs/other.txt"), 400, "application log");
    assertProblem(
        get(client("mon", mon), "modules/appa/userlogs/userlog_2026-12-05T090000_x.ulog"),
        404,
        "no application log");
    assertProblem(get(client("mon", mon), log + "?limit=0"), 400, "'limit'");
    assertProblem(get(client("mon", mon), "modules/nosuch/userlogs"), 404, "nosuch");
    assertProblem(get(client(null, null), "modules/appa/userlogs"), 401, "credentials");
  }

  @Test
  public void controlDownloadsASnapshot() throws Exception {
    withUsers();
    savedConfigurations();
    Response r = zip(client("ctl", "control-secret")).path("modules/appa/snapshot").get();
    assertEquals(200, r.getStatus());
    assertEquals(
        "attachment; filename=\"snapshot_node1_appa.zip\"",
        r.getHeaderString("Content-Disposition"));
    assertEquals(FakeNode.PACKAGE, r.readEntity(String.class));
    assertEquals("snapshot", node.cliCalls.get(0).get(0));
    assertEquals(List.of("-m", "appa"), node.cliCalls.get(0).subList(1, 3));
    node.cliCalls.clear();
    assertProblem(
        get(zip(client("mon", "monitor-secret")), "modules/appa/snapshot"), 403, "Control");
    assertProblem(
        get(zip(client("ctl", "control-secret")), "modules/nosuch/snapshot"), 404, "nosuch");
    assertTrue("nothing ran", node.cliCalls.isEmpty());
    node.exitCode = 1;
    node.cliError = "no space left on device";
    assertProblem(
        get(zip(client("ctl", "control-secret")), "modules/appa/snapshot"), 409, "no space left");
  }

  /** A client that takes a zip, or a problem document. */
  private static WebClient zip(WebClient c) {
    c.replaceHeader("Accept", "application/zip, application/problem+json");
    return c;
  }

  @Test
  public void theNewCallsReachAnotherNodeAndReportOneThatIsDown() throws Exception {
    withUsers();
    Lan lan =
        new Lan(
            "default",
            true,
            List.of(
                new Node("node2", OTHER_NODE, Optional.empty()),
                new Node("down", NOBODY, Optional.empty())));
    cluster.set(Optional.of(new ClusterConfig(4800, Duration.ofMillis(100), 20, 10, List.of(lan))));
    assertEquals(
        202, get(client("mon", "monitor-secret"), "nodes/node2/modules/appa/timeline").status());
    assertTrue(
        forwarded.toString(), forwarded.get(0).startsWith("GET /api/v1.0/modules/appa/timeline "));
    for (String path :
        List.of(
            "modules/appa/timeline",
            "modules/appa/lastconfig",
            "modules/appa/snapshot",
            "modules/appa/userlogs",
            "cmdlog?limit=5")) {
      assertProblem(
          get(client("admin", "admin-secret"), "nodes/down/" + path), 502, "cannot be reached");
    }
    assertProblem(
        post(client("admin", "admin-secret"), "nodes/down/modules/appa/lastconfig/x/restore"),
        502,
        "cannot be reached");
  }

  @Test
  public void adminInstallsConfiguresPackagesAndUninstallsModules() throws Exception {
    withUsers();
    Answer installed =
        answer(
            at(client("admin", "admin-secret"), "modules/appb/install?id=7")
                .type("application/zip")
                .post("PK-uploaded".getBytes(StandardCharsets.UTF_8)));
    assertEquals(String.valueOf(installed.body()), 200, installed.status());
    List<String> install = node.cliCalls.get(0);
    String upload = install.get(6);
    assertEquals(
        List.of("module", "install", "-m", "appb", "-M", "7", upload, "-u", "admin@local"),
        install);
    assertEquals("PK-uploaded", node.files.get(upload));
    assertFalse("the upload is removed", java.nio.file.Files.exists(Path.of(upload)));

    node.cliCalls.clear();
    assertEquals(200, post(client("admin", "admin-secret"), "modules/appb/install").status());
    assertEquals(200, post(client("admin", "admin-secret"), "modules/appb/config").status());
    assertEquals(200, post(client("admin", "admin-secret"), "modules/appb/deconfig").status());
    assertEquals(200, client("admin", "admin-secret").path("modules/appb").delete().getStatus());
    assertEquals(
        List.of(
            List.of("module", "install", "-m", "appb", "-u", "admin@local"),
            List.of("config", "-m", "appb", "-u", "admin@local"),
            List.of("deconfig", "-m", "appb", "-u", "admin@local"),
            List.of("module", "uninstall", "-m", "appb", "-u", "admin@local")),
        node.cliCalls);

    WebClient zip = client("admin", "admin-secret");
    zip.replaceHeader("Accept", "application/zip");
    Response pack = zip.path("modules/appa/package").get();
    assertEquals(200, pack.getStatus());
    assertEquals("application/zip", pack.getMediaType().toString());
    assertEquals(FakeNode.PACKAGE, pack.readEntity(String.class));

    assertProblem(post(client("admin", "admin-secret"), "modules/appb/install?id=x"), 400, "'id'");
    assertProblem(post(client("ctl", "control-secret"), "modules/appb/config"), 403, "Admin");
    assertProblem(post(client("ctl", "control-secret"), "modules/appb/install"), 403, "Admin");
    node.exitCode = 1;
    node.cliError = "module appb is not stopped";
    assertProblem(
        post(client("admin", "admin-secret"), "modules/appb/deconfig"), 409, "not stopped");
  }

  @Test
  public void adminAppliesAClusterConfiguration() throws Exception {
    withUsers();
    Answer a = postXml(client("admin", "admin-secret"), "cluster/config", "<cluster/>");
    assertEquals(200, a.status());
    List<String> call = node.cliCalls.get(0);
    assertEquals(List.of("cluster", "config"), call.subList(0, 2));
    assertEquals("<cluster/>", node.files.get(call.get(2)));
    assertEquals(
        "the file as sent, not its path",
        "cluster config cluster.xml",
        a.body().get("command").asText());
    node.exitCode = 1;
    node.cliError = "{file}:1:1: not valid";
    Answer refused = postXml(client("admin", "admin-secret"), "cluster/config", "<cluster/>");
    assertProblem(refused, 409, "cluster config cluster.xml: cluster.xml:1:1: not valid");
    node.exitCode = 0;
    assertProblem(
        postXml(client("ctl", "control-secret"), "cluster/config", "<cluster/>"), 403, "Admin");
  }

  private Response login(String user, String password) {
    javax.ws.rs.core.Form form =
        new javax.ws.rs.core.Form()
            .param("httpd_username", user)
            .param("httpd_password", password)
            .param("login", "Login");
    return client(null, null).path("login").form(form);
  }

  private WebClient withSession(String token) {
    return client(null, null).header("Cookie", Sessions.COOKIE + "=" + token);
  }

  @Test
  public void theConsoleLogsInWithASessionCookieThatExpiresWhenIdle() throws Exception {
    assertProblem(answer(login("admin", "admin")), 401, "safekit webservercfg -passwd");
    withUsers();
    assertProblem(answer(login("mon", "wrong-password")), 401, "wrong user name");

    Response ok = login("mon", "monitor-secret");
    assertEquals(200, ok.getStatus());
    String setCookie = ok.getHeaderString("Set-Cookie");
    assertTrue(setCookie, setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"));
    String token = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    assertEquals("Monitor", answer(ok).body().get("role").asText());

    assertEquals(200, get(withSession(token), "modules").status());
    assertProblem(post(withSession(token), "modules/appa/stop"), 403, "Control");
    // a role given since the login applies at once
    users.setPassword("mon", "monitor-secret", Role.CONTROL);
    assertEquals(200, post(withSession(token), "modules/appa/stop").status());
    users.setPassword("mon", "monitor-secret", Role.MONITOR);
    node.cliCalls.clear();
    now.set(now.get().plus(Sessions.IDLE).minusSeconds(1));
    assertEquals("activity keeps it", 200, get(withSession(token), "modules").status());
    now.set(now.get().plus(Sessions.IDLE));
    assertProblem(get(withSession(token), "modules"), 401, "session is over");
    assertProblem(get(withSession("forged"), "modules"), 401, "session is over");

    String again = login("ctl", "control-secret").getHeaderString("Set-Cookie");
    String second = again.substring(again.indexOf('=') + 1, again.indexOf(';'));
    assertEquals(204, withSession(second).path("logout").post(null).getStatus());
    assertProblem(get(withSession(second), "modules"), 401, "session is over");
    assertTrue("nothing ran", node.cliCalls.isEmpty());
  }

  private String session(String user, String password) {
    String cookie = login(user, password).getHeaderString("Set-Cookie");
    return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  }

  private void twoNodes() {
    Lan lan =
        new Lan(
            "default",
            true,
            List.of(
                new Node("node1", "127.0.0.1", Optional.empty()),
                new Node("node2", OTHER_NODE, Optional.empty()),
                new Node("down", NOBODY, Optional.empty())));
    cluster.set(Optional.of(new ClusterConfig(4800, Duration.ofMillis(100), 20, 10, List.of(lan))));
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Spec G.4: the console's session on this node acts on another node without a second login. */
  @Test
  public void aConsoleSessionActsOnAnotherNodeAsItsUserThroughTheNodeUser() throws Exception {
    withUsers();
    twoNodes();
    rcmd.write("rcmdadmin", "rcmd-secret");
    String ctl = session("ctl", "control-secret");

    Answer stop = post(withSession(ctl), "nodes/node2/modules/appa/stop");
    assertEquals(202, stop.status());
    assertEquals(
        List.of("POST /api/v1.0/modules/appa/stop " + basic("rcmdadmin", "rcmd-secret") + " null "),
        forwarded);
    assertEquals(List.of("ctl Control local"), relayedFor);

    // a Monitor's session is relayed as Monitor: the other node refuses what Monitor may not do
    forwarded.clear();
    relayedFor.clear();
    String mon = session("mon", "monitor-secret");
    assertEquals(202, get(withSession(mon), "nodes/node2/modules").status());
    assertEquals(List.of("mon Monitor local"), relayedFor);
    // Basic and API keys are relayed the same way, as the node user
    relayedFor.clear();
    Response snapshot =
        at(client("admin", "admin-secret"), "nodes/node2/modules/appa/snapshot").get();
    assertEquals(202, snapshot.getStatus());
    assertEquals("attachment; filename=\"x.zip\"", snapshot.getHeaderString("Content-Disposition"));
    assertEquals(List.of("admin Admin local"), relayedFor);

    assertProblem(get(withSession(ctl), "nodes/down/modules"), 502, "cannot be reached");
    assertProblem(get(withSession("forged"), "nodes/node2/modules"), 401, "session is over");
    assertTrue("nothing ran here", node.cliCalls.isEmpty());
  }

  @Test
  public void withoutTheNodeUserASessionCannotBeRelayed() throws Exception {
    withUsers();
    twoNodes();
    assertProblem(
        get(withSession(session("admin", "admin-secret")), "nodes/node2/modules"),
        503,
        "safekit webservercfg -rcmdpasswd <password>");
    assertTrue(forwarded.isEmpty());
    // HTTP Basic is still sent on as it came, for the other node to check again
    assertEquals(202, get(client("mon", "monitor-secret"), "nodes/node2/modules").status());
    assertEquals(List.of("null null null"), relayedFor);
  }

  /** The other side: this node acts for the user another node names, never beyond that role. */
  @Test
  public void thisNodeActsForTheUserThatAnotherNodeRelays() throws Exception {
    withUsers();
    rcmd.write("rcmdadmin", "rcmd-secret");
    users.setPassword("rcmdadmin", "rcmd-secret", Role.ADMIN);
    Answer ok =
        post(
            relayed(client("rcmdadmin", "rcmd-secret"), "ctl", "Control", "10.0.0.5"),
            "modules/appa/stop");
    assertEquals(String.valueOf(ok.body()), 200, ok.status());
    assertEquals(List.of(List.of("stop", "-m", "appa", "-u", "ctl@10.0.0.5")), node.cliCalls);
    node.cliCalls.clear();

    assertProblem(
        post(
            relayed(client("rcmdadmin", "rcmd-secret"), "mon", "Monitor", "10.0.0.5"),
            "modules/appa/stop"),
        403,
        "mon has the role Monitor");
    // only the node user may name another user: an Admin cannot pass for anyone
    assertProblem(
        get(relayed(client("admin", "admin-secret"), "ctl", "Control", "10.0.0.5"), "modules"),
        403,
        "admin may not act on behalf of another user");
    assertProblem(
        get(relayed(client("mon", "monitor-secret"), "admin", "Admin", "10.0.0.5"), "modules"),
        403,
        "only the nodes of the cluster may");
    assertProblem(
        get(relayed(client("rcmdadmin", "rcmd-secret"), "ctl", "Root", "10.0.0.5"), "modules"),
        400,
        "X-Bulwark-Role 'Root'");
    assertTrue("nothing ran", node.cliCalls.isEmpty());
  }

  /** The console's stream of every node's states is for users only, like every endpoint. */
  @Test
  public void theClusterStreamRefusesWhoIsNotAUser() throws Exception {
    withUsers();
    assertProblem(
        get(client(null, null).replaceHeader("Accept", "text/event-stream"), "events/cluster"),
        401,
        "credentials");
    assertProblem(
        get(client("mon", "wrong").replaceHeader("Accept", "text/event-stream"), "events/cluster"),
        401,
        "wrong user name");
  }

  private static WebClient relayed(WebClient c, String user, String role, String address) {
    return c.header(Delegation.USER, user)
        .header(Delegation.ROLE, role)
        .header(Delegation.ADDRESS, address);
  }

  /** Every resource method says who may call it: none falls open by omission. */
  @Test
  public void everyResourceMethodDeclaresItsRole() {
    for (Class<?> resource :
        List.of(
            NodeResource.class,
            ModulesResource.class,
            CommandsResource.class,
            ClusterResource.class,
            ApiKeysResource.class,
            NodesResource.class,
            SessionResource.class)) {
      for (Method m : resource.getDeclaredMethods()) {
        boolean endpoint =
            List.of(m.getAnnotations()).stream()
                .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class));
        if (endpoint) {
          assertTrue(
              m.toString(),
              m.isAnnotationPresent(Allow.class) ^ m.isAnnotationPresent(Anonymous.class));
        }
      }
    }
  }

  private Answer exec(String user, String password, String body) throws Exception {
    return answer(client(user, password).path("exec").type("application/json").post(body));
  }

  @Test
  public void execRunsACommandLineForDistributedCommands() throws Exception {
    withUsers();
    node.exitCode = 1;
    node.cliError = "module appa is not running";
    Answer a = exec("admin", "admin-secret", "{\"args\":[\"waitstate\",\"-m\",\"appa\",\"UP\"]}");
    // a failing command is still an answer: its exit code and output are the point
    assertEquals(String.valueOf(a.body()), 200, a.status());
    assertEquals("waitstate -m appa UP", a.body().get("command").asText());
    assertEquals(1, a.body().get("exitCode").asInt());
    assertEquals("Error: module appa is not running\n", a.body().get("error").asText());
    List<String> call = node.cliCalls.get(node.cliCalls.size() - 1);
    assertEquals(List.of("waitstate", "-m", "appa", "UP", "-u"), call.subList(0, 5));
    assertTrue(call.get(5), call.get(5).startsWith("admin@"));
    int calls = node.cliCalls.size();
    assertProblem(exec("ctl", "control-secret", "{\"args\":[\"state\"]}"), 403, "Admin");
    assertProblem(
        exec("admin", "admin-secret", "{\"args\":[\"logview\"]}"), 400, "'logview' cannot be run");
    assertProblem(
        exec("admin", "admin-secret", "{\"args\":[\"-H\",\"*\",\"state\"]}"), 400, "'-H'");
    assertProblem(
        exec("admin", "admin-secret", "{\"args\":[\"state\",\"-u\",\"x\"]}"), 400, "'-u'");
    assertProblem(exec("admin", "admin-secret", "{}"), 400, "'args' is missing or empty");
    assertProblem(exec("admin", "admin-secret", "{\"args\":[1]}"), 400, "strings only");
    assertProblem(exec("admin", "admin-secret", "state"), 400, "not JSON");
    assertEquals("refused requests run nothing", calls, node.cliCalls.size());
  }
}
