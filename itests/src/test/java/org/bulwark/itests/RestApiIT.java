package org.bulwark.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * The REST API on a real node (issue 12): no user means every authenticated call is refused with
 * how to set one; {@code safekit webservercfg} sets users; a Control action runs the module verb
 * and lands in the commands log and the module log with {@code user@address}; a Monitor user is
 * refused actions; an API key acts with its role; the health-check URL and console stay anonymous.
 */
public class RestApiIT {
  private static final String ADDRESS = "127.0.0.181";
  private static final int PORT = 19181;
  private static final String MODULE = "appa";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Result ok(Result r) {
    assertEquals(r.toString(), 0, r.exitCode());
    return r;
  }

  private static HttpResponse<String> call(String method, String path, String authorization)
      throws Exception {
    return call(method, path, authorization, null, null);
  }

  private static HttpResponse<String> call(
      String method, String path, String authorization, String type, byte[] body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://" + ADDRESS + ":" + PORT + "/api/v1.0" + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (type != null) {
      b.header("Content-Type", type);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static void assertProblem(HttpResponse<String> r, int status, String detail) {
    assertEquals(r.body(), status, r.statusCode());
    assertTrue(
        r.headers().toString(),
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    assertTrue(r.body(), r.body().contains(detail));
  }

  @Test
  public void usersRolesAndControlOverHttp() throws Exception {
    try (NodeProcess node = NodeProcess.copy(ADDRESS, PORT)) {
      ok(node.start());
      String admin = basic("admin", "it-admin-password");
      String monitor = basic("mon", "it-monitor-password");

      // before any user: the level is public, everything else says how to set a password
      assertEquals(200, call("GET", "/level", null).statusCode());
      assertProblem(call("GET", "/modules", null), 401, "safekit webservercfg -passwd");
      assertProblem(call("GET", "/modules", basic("admin", "admin")), 401, "webservercfg");

      ok(node.safekit("webservercfg", "-passwd", "it-admin-password"));
      ok(
          node.safekit(
              "webservercfg",
              "-passwd",
              "it-monitor-password",
              "-user",
              "mon",
              "-role",
              "Monitor"));
      assertProblem(call("GET", "/modules", null), 401, "credentials are required");

      Path work = node.home.getParent();
      SafePackage a = SafePackage.tracing(MODULE, work.resolve("trace"), "");
      byte[] safe = Files.readAllBytes(a.writeTo(work));
      assertProblem(
          call("POST", "/modules/appa/install", monitor, "application/zip", safe), 403, "Admin");
      HttpResponse<String> installed =
          call("POST", "/modules/appa/install", admin, "application/zip", safe);
      assertEquals(installed.body(), 200, installed.statusCode());
      HttpResponse<String> configured = call("POST", "/modules/appa/config", admin);
      assertEquals(configured.body(), 200, configured.statusCode());
      // the anonymous URLs stay anonymous
      assertEquals(404, node.get("/var/modules/appa/ready.txt").statusCode());
      assertEquals(200, node.get("/console").statusCode());

      HttpResponse<String> list = call("GET", "/modules", monitor);
      assertEquals(list.body(), 200, list.statusCode());
      assertTrue(list.body(), list.body().contains("\"name\":\"appa\",\"id\":"));
      assertTrue(list.body(), list.body().contains("\"state\":\"STOP\""));

      assertProblem(call("POST", "/modules/appa/start", monitor), 403, "Control");
      assertProblem(call("POST", "/modules/nosuch/start", admin), 404, "nosuch");
      assertProblem(call("GET", "/modules/appa/log?limit=0", monitor), 400, "'limit'");

      HttpResponse<String> start = call("POST", "/modules/appa/start", admin);
      assertEquals(start.body(), 200, start.statusCode());
      ok(node.safekit("waitstate", "-t", "60", "-m", MODULE, "UP"));
      HttpResponse<String> state = call("GET", "/modules/appa", monitor);
      assertTrue(state.body(), state.body().contains("\"state\":\"UP\",\"readiness\":\"Ready\""));
      assertEquals(200, node.get("/var/modules/appa/ready.txt").statusCode());

      // who did it: the commands log and the module log name admin at its address
      HttpResponse<String> cmdlog = call("GET", "/cmdlog", monitor);
      Matcher origin =
          Pattern.compile("\"text\":\"start -m appa -u admin@([0-9.]+)\"").matcher(cmdlog.body());
      assertTrue(cmdlog.body(), origin.find());
      String who = "admin@" + origin.group(1);
      HttpResponse<String> log = call("GET", "/modules/appa/log?level=U", monitor);
      assertTrue(log.body(), log.body().contains(who));

      // the console's session: a form login, then the cookie alone
      HttpResponse<String> login =
          call(
              "POST",
              "/login",
              null,
              "application/x-www-form-urlencoded",
              "httpd_username=mon&httpd_password=it-monitor-password&login=Login"
                  .getBytes(StandardCharsets.UTF_8));
      assertEquals(login.body(), 200, login.statusCode());
      String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
      assertTrue(cookie, cookie.startsWith("sessionSK=") && cookie.contains("HttpOnly"));
      HttpRequest withCookie =
          HttpRequest.newBuilder(
                  URI.create("http://" + ADDRESS + ":" + PORT + "/api/v1.0/modules/appa"))
              .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
              .build();
      HttpResponse<String> bySession = HTTP.send(withCookie, HttpResponse.BodyHandlers.ofString());
      assertEquals(bySession.body(), 200, bySession.statusCode());

      // a tool with a Control key stops it; a Monitor key could not
      HttpResponse<String> key = call("POST", "/apikey/Control/it-tool", admin);
      assertEquals(key.body(), 200, key.statusCode());
      Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(key.body());
      assertTrue(key.body(), token.find());
      HttpResponse<String> stop = call("POST", "/modules/appa/stop", "Bearer " + token.group(1));
      assertEquals(stop.body(), 200, stop.statusCode());
      ok(node.safekit("waitstate", "-t", "60", "-m", MODULE, "STOP"));
      assertTrue(
          ok(node.safekit("cmdlog")).out(),
          ok(node.safekit("cmdlog")).out().contains("stop -m appa -u apikey:it-tool@"));
      assertEquals(404, node.get("/var/modules/appa/ready.txt").statusCode());

      // any node through this one (spec G.5): n1 is this node, nothing answers at n2's address
      byte[] cluster =
          MirrorPair.clusterXml(List.of(ADDRESS, "127.0.0.182")).getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> applied =
          call("POST", "/cluster/config", admin, "application/xml", cluster);
      assertEquals(applied.body(), 200, applied.statusCode());
      assertTrue(
          ok(node.safekit("cluster", "confinfo")).out(),
          ok(node.safekit("cluster", "confinfo")).out().contains("signature"));
      HttpResponse<String> through = call("GET", "/nodes/n1/modules/appa", monitor);
      assertEquals(through.body(), 200, through.statusCode());
      assertTrue(through.body(), through.body().contains("\"state\":\"STOP\""));
      assertProblem(call("POST", "/nodes/n1/modules/appa/start", monitor), 403, "Control");
      assertProblem(call("GET", "/nodes/n2/modules", monitor), 502, "cannot be reached");
      assertProblem(call("GET", "/nodes/n9/modules", monitor), 404, "n9");
    }
  }
}
