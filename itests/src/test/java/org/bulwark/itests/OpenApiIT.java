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
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String ADMIN = basic("admin", "it-admin-password");
  private static final String MONITOR = basic("mon", "it-monitor-password");

  private static Result ok(Result r) {
    assertEquals(r.toString(), 0, r.exitCode());
    return r;
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> call(String method, String path, String authorization)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://" + ADDRESS + ":" + PORT + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> api(String method, String path, String authorization)
      throws Exception {
    return call(method, "/api/v1.0" + path, authorization);
  }

  private static void assertProblem(HttpResponse<String> r, int status, String detail) {
    assertEquals(r.body(), status, r.statusCode());
    assertTrue(
        r.headers().toString(),
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    assertTrue(r.body(), r.body().contains(detail));
  }

  @Test
  public void theDescriptionSwaggerUiAndTheCallsOfIssue12() throws Exception {
    try (NodeProcess node = NodeProcess.copy(ADDRESS, PORT)) {
      ok(node.start());
      // anonymous, before any user is set
      HttpResponse<String> openapi = api("GET", "/openapi.json", null);
      assertEquals(openapi.body(), 200, openapi.statusCode());
      for (String part :
          List.of(
              "\"openapi\":\"3.0.3\"",
              "\"/modules/{module}/timeline\"",
              "\"/modules/{module}/lastconfig/{name}/restore\"",
              "\"x-role\":\"Control\"")) {
        assertTrue(part, openapi.body().contains(part));
      }
      HttpResponse<String> bare = call("GET", "/swagger-ui", null);
      assertEquals(302, bare.statusCode());
      HttpResponse<String> page = call("GET", "/swagger-ui/", null);
      assertEquals(200, page.statusCode());
      assertTrue(page.body(), page.body().contains("swagger-ui-bundle.js"));
      HttpResponse<String> script = call("GET", "/swagger-ui/swagger-ui-bundle.js", null);
      assertEquals(200, script.statusCode());
      assertTrue(script.body().length() > 1_000_000);
      assertTrue(
          script.headers().toString(),
          script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
      assertEquals(200, call("GET", "/swagger-ui/bulwark-swagger.js", null).statusCode());
      assertEquals(404, call("GET", "/swagger-ui/SwaggerUiServlet.class", null).statusCode());

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
      Path work = node.home.getParent();
      Path safe = SafePackage.tracing(MODULE, work.resolve("trace"), "").writeTo(work);
      ok(node.safekit("module", "install", "-m", MODULE, safe.toString()));
      ok(node.safekit("config", "-m", MODULE));

      // the states timeline: the start and the stop, newest first
      ok(node.safekit("start", "-m", MODULE));
      ok(node.safekit("waitstate", "-t", "60", "-m", MODULE, "UP"));
      ok(node.safekit("stop", "-m", MODULE));
      ok(node.safekit("waitstate", "-t", "60", "-m", MODULE, "STOP"));
      HttpResponse<String> timeline = api("GET", "/modules/" + MODULE + "/timeline", MONITOR);
      assertEquals(timeline.body(), 200, timeline.statusCode());
      assertTrue(timeline.body(), timeline.body().startsWith("[{\"time\":"));
      int stop = timeline.body().indexOf("\"side\":\"local\",\"state\":\"STOP\"");
      int up = timeline.body().indexOf("\"side\":\"local\",\"state\":\"UP\"");
      assertTrue(timeline.body(), stop >= 0 && up > stop);
      assertProblem(api("GET", "/modules/nosuch/timeline", MONITOR), 404, "nosuch");
      assertProblem(api("GET", "/modules/" + MODULE + "/timeline?limit=x", MONITOR), 400, "limit");

      // the application logs of the scripts that ran, and the lines of one
      HttpResponse<String> userlogs =
          api("GET", "/modules/" + MODULE + "/userlogs?script=start_both", MONITOR);
      assertEquals(userlogs.body(), 200, userlogs.statusCode());
      Matcher ulog =
          Pattern.compile("\"name\":\"(userlog_[^\"]+_start_both\\.ulog)\"")
              .matcher(userlogs.body());
      assertTrue(userlogs.body(), ulog.find());
      HttpResponse<String> lines =
          api("GET", "/modules/" + MODULE + "/userlogs/" + ulog.group(1), MONITOR);
      assertEquals(lines.body(), 200, lines.statusCode());
      assertTrue(lines.body(), lines.body().contains("\"lines\":["));

      // the configurations kept by config, and one restored and applied
      HttpResponse<String> saved = api("GET", "/modules/" + MODULE + "/lastconfig", ADMIN);
      assertEquals(saved.body(), 200, saved.statusCode());
      Matcher name =
          Pattern.compile("\"name\":\"(" + MODULE + "_[0-9_]+\\.safe)\"").matcher(saved.body());
      assertTrue(saved.body(), name.find());
      assertProblem(api("GET", "/modules/" + MODULE + "/lastconfig", MONITOR), 403, "Admin");
      String restore =
          "/modules/" + MODULE + "/lastconfig/" + name.group(1) + "/restore?apply=true";
      assertProblem(api("POST", restore, MONITOR), 403, "Admin");
      HttpResponse<String> restored = api("POST", restore, ADMIN);
      assertEquals(restored.body(), 200, restored.statusCode());
      assertTrue(restored.body(), restored.body().contains("module install -m " + MODULE + " -r "));
      assertTrue(
          restored.body(), restored.body().contains("\"command\":\"config -m " + MODULE + "\""));
      assertProblem(
          api("POST", "/modules/" + MODULE + "/lastconfig/nosuch.safe/restore", ADMIN),
          404,
          "no saved configuration");

      // a dump by the command line, then a snapshot downloaded by Control
      assertTrue(
          ok(node.safekit("dump", "-m", MODULE)).out(),
          ok(node.safekit("dump", "-m", MODULE)).out().contains("dump_"));
      HttpRequest snapshot =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://"
                          + ADDRESS
                          + ":"
                          + PORT
                          + "/api/v1.0/modules/"
                          + MODULE
                          + "/snapshot"))
              .header("Authorization", ADMIN)
              .header("Accept", "application/zip, application/problem+json")
              .timeout(Duration.ofSeconds(60))
              .build();
      HttpResponse<byte[]> zip = HTTP.send(snapshot, HttpResponse.BodyHandlers.ofByteArray());
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
      assertProblem(api("GET", "/modules/" + MODULE + "/snapshot", MONITOR), 403, "Control");

      // the commands log, page by page back in time
      HttpResponse<String> newest = api("GET", "/cmdlog?limit=2", MONITOR);
      assertEquals(newest.body(), 200, newest.statusCode());
      String link = newest.headers().firstValue("Link").orElseThrow();
      Matcher next = Pattern.compile("<([^>]+)>;rel=\"next\"").matcher(link.replace(" ", ""));
      assertTrue(link, next.find());
      URI older = URI.create(next.group(1));
      HttpResponse<String> page2 = api("GET", "/cmdlog?" + older.getRawQuery(), MONITOR);
      assertEquals(page2.body(), 200, page2.statusCode());
      assertTrue(
          page2.body(), page2.body().startsWith("[{") && !page2.body().equals(newest.body()));

      // a node that is down, reached through this one
      byte[] cluster =
          MirrorPair.clusterXml(List.of(ADDRESS, DOWN)).getBytes(StandardCharsets.UTF_8);
      Path file = Files.write(work.resolve("cluster.xml"), cluster);
      ok(node.safekit("cluster", "config", file.toString()));
      assertProblem(
          api("GET", "/nodes/n2/modules/" + MODULE + "/timeline", MONITOR),
          502,
          "cannot be reached");
      HttpResponse<String> here = api("GET", "/nodes/n1/modules/" + MODULE + "/timeline", MONITOR);
      assertEquals(here.body(), 200, here.statusCode());
    }
  }
}
