package org.bulwark.itests;

import static org.bulwark.itests.NodeHttp.ADMIN;
import static org.bulwark.itests.NodeHttp.MONITOR;
import static org.bulwark.itests.NodeHttp.assertProblem;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
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
 * The API's description and the calls of issue 12 item 1 on a real node: the OpenAPI description
 * and Swagger UI served anonymously from the distribution (offline), the states timeline of a
 * module started and stopped, a saved configuration restored and applied, the commands log read
 * page by page, and a node that is down reached through this one.
 */
public class OpenApiIT {
  private static final String ADDRESS = "127.0.0.220";
  private static final String DOWN = "127.0.0.221";
  private static final int PORT = 19220;
  private static final String MODULE = "appo";

  @Test
  public void theDescriptionSwaggerUiAndTheCallsOfIssue12() throws Exception {
    try (NodeProcess node = NodeProcess.copy(ADDRESS, PORT)) {
      ok(node.start());
      NodeHttp http = new NodeHttp(node);
      // anonymous, before any user is set
      HttpResponse<String> openapi = http.api("GET", "/openapi.json", null);
      assertEquals(openapi.body(), 200, openapi.statusCode());
      for (String part :
          List.of(
              "\"openapi\":\"3.0.3\"",
              "\"/modules/{module}/timeline\"",
              "\"/modules/{module}/lastconfig/{name}/restore\"",
              "\"x-role\":\"Control\"")) {
        assertTrue(part, openapi.body().contains(part));
      }
      HttpResponse<String> bare = http.call("GET", "/swagger-ui", null);
      assertEquals(302, bare.statusCode());
      HttpResponse<String> page = http.call("GET", "/swagger-ui/", null);
      assertEquals(200, page.statusCode());
      assertTrue(page.body(), page.body().contains("swagger-ui-bundle.js"));
      HttpResponse<String> script = http.call("GET", "/swagger-ui/swagger-ui-bundle.js", null);
      assertEquals(200, script.statusCode());
      assertTrue(script.body().length() > 1_000_000);
      assertTrue(
          script.headers().toString(),
          script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
      assertEquals(200, http.call("GET", "/swagger-ui/bulwark-swagger.js", null).statusCode());
      assertEquals(404, http.call("GET", "/swagger-ui/SwaggerUiServlet.class", null).statusCode());

      NodeHttp.setUsers(node);
      NodeHttp.installTracing(node, MODULE);

      // the states timeline: the start and the stop, newest first
      ok(node.safekit("start", "-m", MODULE));
      ok(node.safekit("waitstate", "-t", "60", "-m", MODULE, "UP"));
      ok(node.safekit("stop", "-m", MODULE));
      ok(node.safekit("waitstate", "-t", "60", "-m", MODULE, "STOP"));
      HttpResponse<String> timeline = http.api("GET", "/modules/" + MODULE + "/timeline", MONITOR);
      assertEquals(timeline.body(), 200, timeline.statusCode());
      assertTrue(timeline.body(), timeline.body().startsWith("[{\"time\":"));
      int stop = timeline.body().indexOf("\"side\":\"local\",\"state\":\"STOP\"");
      int up = timeline.body().indexOf("\"side\":\"local\",\"state\":\"UP\"");
      assertTrue(timeline.body(), stop >= 0 && up > stop);
      assertProblem(http.api("GET", "/modules/nosuch/timeline", MONITOR), 404, "nosuch");
      assertProblem(
          http.api("GET", "/modules/" + MODULE + "/timeline?limit=x", MONITOR), 400, "limit");

      // the application logs of the scripts that ran, and the lines of one
      HttpResponse<String> userlogs =
          http.api("GET", "/modules/" + MODULE + "/userlogs?script=start_both", MONITOR);
      assertEquals(userlogs.body(), 200, userlogs.statusCode());
      Matcher ulog =
          Pattern.compile("\"name\":\"(userlog_[^\"]+_start_both\\.ulog)\"")
              .matcher(userlogs.body());
      assertTrue(userlogs.body(), ulog.find());
      HttpResponse<String> lines =
          http.api("GET", "/modules/" + MODULE + "/userlogs/" + ulog.group(1), MONITOR);
      assertEquals(lines.body(), 200, lines.statusCode());
      assertTrue(lines.body(), lines.body().contains("\"lines\":["));

      // the configurations kept by config, and one restored and applied
      HttpResponse<String> saved = http.api("GET", "/modules/" + MODULE + "/lastconfig", ADMIN);
      assertEquals(saved.body(), 200, saved.statusCode());
      Matcher name =
          Pattern.compile("\"name\":\"(" + MODULE + "_[0-9_]+\\.safe)\"").matcher(saved.body());
      assertTrue(saved.body(), name.find());
      assertProblem(http.api("GET", "/modules/" + MODULE + "/lastconfig", MONITOR), 403, "Admin");
      String restore =
          "/modules/" + MODULE + "/lastconfig/" + name.group(1) + "/restore?apply=true";
      assertProblem(http.api("POST", restore, MONITOR), 403, "Admin");
      HttpResponse<String> restored = http.api("POST", restore, ADMIN);
      assertEquals(restored.body(), 200, restored.statusCode());
      assertTrue(restored.body(), restored.body().contains("module install -m " + MODULE + " -r "));
      assertTrue(
          restored.body(), restored.body().contains("\"command\":\"config -m " + MODULE + "\""));
      assertProblem(
          http.api("POST", "/modules/" + MODULE + "/lastconfig/nosuch.safe/restore", ADMIN),
          404,
          "no saved configuration");

      // a dump by the command line, then a snapshot downloaded by Control
      assertTrue(
          ok(node.safekit("dump", "-m", MODULE)).out(),
          ok(node.safekit("dump", "-m", MODULE)).out().contains("dump_"));
      HttpRequest snapshot =
          http.request("/api/v1.0/modules/" + MODULE + "/snapshot", ADMIN)
              .header("Accept", "application/zip, application/problem+json")
              .build();
      HttpResponse<byte[]> zip =
          NodeHttp.HTTP.send(snapshot, HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(new String(zip.body(), StandardCharsets.UTF_8), 200, zip.statusCode());
      List<String> entries = new java.util.ArrayList<>();
      try (java.util.zip.ZipInputStream in =
          new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip.body()))) {
        for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
          entries.add(e.getName());
        }
      }
      assertTrue(
          entries.toString(),
          entries.stream().anyMatch(e -> e.matches(MODULE + "/dump_[0-9_]+/logverbose\\.txt")));
      assertTrue(
          entries.toString(),
          entries.stream()
              .anyMatch(e -> e.matches(MODULE + "/config_[0-9_]+/module/conf/userconfig\\.xml")));
      assertProblem(http.api("GET", "/modules/" + MODULE + "/snapshot", MONITOR), 403, "Control");

      // the commands log, page by page back in time
      HttpResponse<String> newest = http.api("GET", "/cmdlog?limit=2", MONITOR);
      assertEquals(newest.body(), 200, newest.statusCode());
      String link = newest.headers().firstValue("Link").orElseThrow();
      Matcher next = Pattern.compile("<([^>]+)>;rel=\"next\"").matcher(link.replace(" ", ""));
      assertTrue(link, next.find());
      URI older = URI.create(next.group(1));
      HttpResponse<String> page2 = http.api("GET", "/cmdlog?" + older.getRawQuery(), MONITOR);
      assertEquals(page2.body(), 200, page2.statusCode());
      assertTrue(
          page2.body(), page2.body().startsWith("[{") && !page2.body().equals(newest.body()));

      // a node that is down, reached through this one
      Path work = node.home.getParent();
      byte[] cluster =
          MirrorPair.clusterXml(List.of(ADDRESS, DOWN)).getBytes(StandardCharsets.UTF_8);
      Path file = Files.write(work.resolve("cluster.xml"), cluster);
      ok(node.safekit("cluster", "config", file.toString()));
      assertProblem(
          http.api("GET", "/nodes/n2/modules/" + MODULE + "/timeline", MONITOR),
          502,
          "cannot be reached");
      HttpResponse<String> here =
          http.api("GET", "/nodes/n1/modules/" + MODULE + "/timeline", MONITOR);
      assertEquals(here.body(), 200, here.statusCode());
    }
  }
}
