package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * A node's web service as the REST ITs call it: its URLs, calls with Basic credentials or none, the
 * problem documents (RFC 9457) it answers, the two users the ITs set ({@code admin} and the Monitor
 * {@code mon}) and a tracing module installed by the command line.
 */
final class NodeHttp {
  static final String ADMIN_PASSWORD = "it-admin-password";
  static final String MONITOR_PASSWORD = "it-monitor-password";
  static final String ADMIN = basic("admin", ADMIN_PASSWORD);
  static final String MONITOR = basic("mon", MONITOR_PASSWORD);

  /** HTTP/1.1 only: an event stream must not be offered an upgrade. */
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static final Duration ANSWER = Duration.ofSeconds(60);

  private final String root;

  NodeHttp(NodeProcess node) {
    this.root = "http://" + node.address + ":" + node.webPort;
  }

  /** The URL of {@code path} on this node: {@code /swagger-ui/}, {@code /api/v1.0/events}. */
  URI uri(String path) {
    return URI.create(root + path);
  }

  /** A request for {@code path} with {@code authorization} (none when null). */
  HttpRequest.Builder request(String path, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(ANSWER);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  /** {@code method path} from the server's root, without a body. */
  HttpResponse<String> call(String method, String path, String authorization)
      throws IOException, InterruptedException {
    return send(
        request(path, authorization).method(method, HttpRequest.BodyPublishers.noBody()).build());
  }

  /** {@code method /api/v1.0path} without a body. */
  HttpResponse<String> api(String method, String path, String authorization)
      throws IOException, InterruptedException {
    return api(method, path, authorization, null, null);
  }

  /** {@code method /api/v1.0path} with a body of media {@code type} (none when null). */
  HttpResponse<String> api(
      String method, String path, String authorization, String type, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        request("/api/v1.0" + path, authorization)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    return send(b.build());
  }

  private static HttpResponse<String> send(HttpRequest request)
      throws IOException, InterruptedException {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A problem document of {@code status} whose text contains {@code detail}. */
  static void assertProblem(HttpResponse<String> r, int status, String detail) {
    assertEquals(r.body(), status, r.statusCode());
    assertTrue(
        r.headers().toString(),
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    assertTrue(r.body(), r.body().contains(detail));
  }

  /** {@code safekit webservercfg}: {@code admin}, then {@code mon} with the Monitor role. */
  static void setUsers(NodeProcess node) throws IOException, InterruptedException {
    ok(node.safekit("webservercfg", "-passwd", ADMIN_PASSWORD));
    ok(
        node.safekit(
            "webservercfg", "-passwd", MONITOR_PASSWORD, "-user", "mon", "-role", "Monitor"));
  }

  /** {@link SafePackage#tracing} installed and configured as {@code module} by the command line. */
  static void installTracing(NodeProcess node, String module)
      throws IOException, InterruptedException {
    Path work = node.home.getParent();
    Path safe = SafePackage.tracing(module, work.resolve("trace"), "").writeTo(work);
    ok(node.safekit("module", "install", "-m", module, safe.toString()));
    ok(node.safekit("config", "-m", module));
  }
}
