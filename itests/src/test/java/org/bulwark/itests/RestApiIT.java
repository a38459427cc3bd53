package org.bulwark.itests;

import static org.bulwark.itests.NodeHttp.ADMIN;
import static org.bulwark.itests.NodeHttp.MONITOR;
import static org.bulwark.itests.NodeHttp.assertProblem;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  @Test
  public void usersRolesAndControlOverHttp() throws Exception {
    try (NodeProcess node = NodeProcess.copy(ADDRESS, PORT)) {
      ok(node.start());
      NodeHttp http = new NodeHttp(node);

      // before any user: the level is public, everything else says how to set a password
      assertEquals(200, http.api("GET", "/level", null).statusCode());
      assertProblem(http.api("GET", "/modules", null), 401, "safekit webservercfg -passwd");
      assertProblem(
          http.api("GET", "/modules", NodeHttp.basic("admin", "admin")), 401, "webservercfg");

      NodeHttp.setUsers(node);
      assertProblem(http.api("GET", "/modules", null), 401, "credentials are required");

      Path work = node.home.getParent();
      SafePackage a = SafePackage.tracing(MODULE, work.resolve("trace"), "");
      byte[] safe = Files.readAllBytes(a.writeTo(work));
      assertProblem(
          http.api("POST", "/modules/appa/install", MONITOR, "application/zip", safe),
          403,
          "Admin");
      HttpResponse<String> installed =
          http.api("POST", "/modules/appa/install", ADMIN, "application/zip", safe);
      assertEquals(installed.body(), 200, installed.statusCode());
      HttpResponse<String> configured = http.api("POST", "/modules/appa/config", ADMIN);
      assertEquals(configured.body(), 200, configured.statusCode());
      // the anonymous URLs stay anonymous
      assertEquals(404, node.get("/var/modules/appa/ready.txt").statusCode());
      assertEquals(200, node.get("/console").statusCode());

      HttpResponse<String> list = http.api("GET", "/modules", MONITOR);
      assertEquals(list.body(), 200, list.statusCode());
      assertTrue(list.body(), list.body().contains("\"name\":\"appa\",\"id\":"));
      assertTrue(list.body(), list.body().contains("\"state\":\"STOP\""));

      assertProblem(http.api("POST", "/modules/appa/start", MONITOR), 403, "Control");
      assertProblem(http.api("POST", "/modules/nosuch/start", ADMIN), 404, "nosuch");
      assertProblem(http.api("GET", "/modules/appa/log?limit=0", MONITOR), 400, "'limit'");

      HttpResponse<String> start = http.api("POST", "/modules/appa/start", ADMIN);
      assertEquals(start.body(), 200, start.statusCode());
      ok(node.safekit("waitstate", "-t", "60", "-m", MODULE, "UP"));
      HttpResponse<String> state = http.api("GET", "/modules/appa", MONITOR);
      assertTrue(state.body(), state.body().contains("\"state\":\"UP\",\"readiness\":\"Ready\""));
      assertEquals(200, node.get("/var/modules/appa/ready.txt").statusCode());

      // who did it: the commands log and the module log name admin at its address
      HttpResponse<String> cmdlog = http.api("GET", "/cmdlog", MONITOR);
      Matcher origin =
          Pattern.compile("\"text\":\"start -m appa -u admin@([0-9.]+)\"").matcher(cmdlog.body());
      assertTrue(cmdlog.body(), origin.find());
      String who = "admin@" + origin.group(1);
      HttpResponse<String> log = http.api("GET", "/modules/appa/log?level=U", MONITOR);
      assertTrue(log.body(), log.body().contains(who));

      // the console's session: a form login, then the cookie alone
      HttpResponse<String> login =
          http.api(
              "POST",
              "/login",
              null,
              "application/x-www-form-urlencoded",
              ("httpd_username=mon&httpd_password=" + NodeHttp.MONITOR_PASSWORD + "&login=Login")
                  .getBytes(StandardCharsets.UTF_8));
      assertEquals(login.body(), 200, login.statusCode());
      String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
      assertTrue(cookie, cookie.startsWith("sessionSK=") && cookie.contains("HttpOnly"));
      HttpRequest withCookie =
          http.request("/api/v1.0/modules/appa", null)
              .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
              .build();
      HttpResponse<String> bySession =
          NodeHttp.HTTP.send(withCookie, HttpResponse.BodyHandlers.ofString());
      assertEquals(bySession.body(), 200, bySession.statusCode());

      // a tool with a Control key stops it; a Monitor key could not
      HttpResponse<String> key = http.api("POST", "/apikey/Control/it-tool", ADMIN);
      assertEquals(key.body(), 200, key.statusCode());
      Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(key.body());
      assertTrue(key.body(), token.find());
      HttpResponse<String> stop =
          http.api("POST", "/modules/appa/stop", "Bearer " + token.group(1));
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
          http.api("POST", "/cluster/config", ADMIN, "application/xml", cluster);
      assertEquals(applied.body(), 200, applied.statusCode());
      assertTrue(
          ok(node.safekit("cluster", "confinfo")).out(),
          ok(node.safekit("cluster", "confinfo")).out().contains("signature"));
      HttpResponse<String> through = http.api("GET", "/nodes/n1/modules/appa", MONITOR);
      assertEquals(through.body(), 200, through.statusCode());
      assertTrue(through.body(), through.body().contains("\"state\":\"STOP\""));
      assertProblem(http.api("POST", "/nodes/n1/modules/appa/start", MONITOR), 403, "Control");
      assertProblem(http.api("GET", "/nodes/n2/modules", MONITOR), 502, "cannot be reached");
      assertProblem(http.api("GET", "/nodes/n9/modules", MONITOR), 404, "n9");
    }
  }
}
