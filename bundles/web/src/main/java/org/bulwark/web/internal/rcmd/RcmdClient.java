package org.bulwark.web.internal.rcmd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends distributed commands to the servers' web API (spec F.7) as the distributed-command user
 * ({@code rcmdadmin}, HTTP Basic), asynchronously: every server is asked at once and none can hold
 * up another. A server that cannot be reached, refuses the user or answers with a problem becomes
 * an {@link Answer} saying so, never an exception.
 */
final class RcmdClient {
  /** How long a server has to accept the connection: a node that is down answers at once. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final RcmdCredentials.Credentials credentials;

  RcmdClient(HttpClient http, RcmdCredentials.Credentials credentials) {
    this.http = http;
    this.credentials = credentials;
  }

  static HttpClient newHttpClient() {
    return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  /** {@code POST /api/v1.0/exec}: the command line runs there as {@code safekit args}. */
  CompletableFuture<Answer> exec(Target target, List<String> args, Duration timeout) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(Map.of("args", args));
    } catch (IOException e) {
      return CompletableFuture.completedFuture(Answer.failed("cannot encode the command: " + e));
    }
    return send(target, "exec", "application/json", body, timeout, true);
  }

  /** {@code POST /api/v1.0/modules/AM/install?id=N&reinstall=true} with the package. */
  CompletableFuture<Answer> install(
      Target target, String module, int id, byte[] safe, Duration timeout) {
    return send(
        target,
        "modules/" + module + "/install?id=" + id + "&reinstall=true",
        "application/zip",
        safe,
        timeout,
        false);
  }

  /** {@code POST /api/v1.0/modules/AM/config}. */
  CompletableFuture<Answer> config(Target target, String module, Duration timeout) {
    return send(target, "modules/" + module + "/config", null, new byte[0], timeout, false);
  }

  /** {@code POST /api/v1.0/cluster/config} with the cluster.xml. */
  CompletableFuture<Answer> clusterConfig(Target target, byte[] xml, Duration timeout) {
    return send(target, "cluster/config", "application/xml", xml, timeout, false);
  }

  private CompletableFuture<Answer> send(
      Target target, String path, String type, byte[] body, Duration timeout, boolean exec) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target.api(path))
            .timeout(timeout)
            .header("Authorization", basic())
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> answer(target, response, exec))
        .exceptionally(e -> Answer.failed(unreachable(target, e, timeout)));
  }

  private String basic() {
    String pair = credentials.user() + ":" + credentials.password();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  /** A 200 is the command's result; anything else is the server's problem document. */
  private Answer answer(Target target, HttpResponse<String> response, boolean exec) {
    JsonNode json = parse(response.body());
    if (response.statusCode() == 200 && json != null) {
      String output = text(json, "output");
      String error = text(json, "error");
      int code = exec ? json.path("exitCode").asInt(1) : 0;
      return new Answer(code, output, error);
    }
    String detail =
        json != null && json.hasNonNull("detail")
            ? json.get("detail").asText()
            : "HTTP " + response.statusCode();
    if (response.statusCode() == 401) {
      return Answer.failed(
          "Error: "
              + target.label()
              + " refused the distributed-command user "
              + credentials.user()
              + ": "
              + detail
              + "\nSet the same password on every node: safekit webservercfg -rcmdpasswd"
              + " <password>");
    }
    if (response.statusCode() == 404 && json == null) {
      return Answer.failed(
          "Error: "
              + target.label()
              + " has no distributed-command API (HTTP 404): is it a Bulwark node?");
    }
    return new Answer(response.statusCode() == 400 ? 2 : 1, "", detail);
  }

  private static String unreachable(Target target, Throwable failure, Duration timeout) {
    Throwable e =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    String why;
    if (e instanceof HttpConnectTimeoutException) {
      why = "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
    } else if (e instanceof HttpTimeoutException) {
      why = "no answer within " + timeout.toSeconds() + " s";
    } else if (e instanceof ConnectException) {
      why = "connection refused";
    } else {
      why = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    URI base = target.base();
    return "Error: cannot reach " + base + ": " + why;
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode node = body == null || body.isBlank() ? null : JSON.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException notJson) {
      return null;
    }
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }
}
