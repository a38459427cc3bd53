package org.bulwark.web.internal.rest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.ws.rs.core.Response;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.config.Node;
import org.bulwark.api.env.NodeEnvironment;

/**
 * Reaches another node's API through this one (spec G.5, {@code /api/v1.0/nodes/<node>/…}): the
 * request goes to the node's address on the command lan of the applied {@code cluster.xml}, on this
 * node's web port (spec F.7: the local web settings are the default), with the caller's {@code
 * Authorization} header; the other node authenticates and authorises it again, with the same users
 * (spec G.2: user files are identical on every node).
 */
public final class NodeForwarder {
  /** How long a node has to answer: control commands answer once accepted, well within this. */
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  /** The path after {@code nodes/<node>/}: API segments only, never a way out of the API. */
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._~%-]+(/[A-Za-z0-9._~%-]+)*");

  private final Supplier<Optional<ClusterConfig>> cluster;
  private final int webPort;
  private final HttpClient http;

  /**
   * @param cluster the applied cluster configuration, if any
   * @param webPort the web port of the nodes
   */
  public NodeForwarder(Supplier<Optional<ClusterConfig>> cluster, int webPort) {
    this.cluster = cluster;
    this.webPort = webPort;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Sends the request to {@code node} and returns its answer as is. */
  Response forward(
      String node,
      String method,
      String path,
      String query,
      String authorization,
      String contentType,
      byte[] body) {
    if (!PATH.matcher(path).matches() || path.contains("..")) {
      throw ApiException.badRequest("'" + path + "' is not an API path");
    }
    ClusterConfig config =
        cluster
            .get()
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no cluster configuration is applied on this node: nodes are unknown"));
    Node target =
        config
            .commandLan()
            .node(node)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no node '" + node + "' in the cluster: " + config.nodeNames()));
    String host =
        target.addr().contains(":") && !target.addr().startsWith("[")
            ? "[" + target.addr() + "]"
            : target.addr();
    String where = host + ":" + webPort;
    URI uri =
        URI.create("http://" + where + "/api/v1.0/" + path + (query == null ? "" : "?" + query));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .method(
                method,
                body == null || body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<byte[]> answer;
    try {
      answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw unreachable(node, where, "connection refused");
    } catch (HttpTimeoutException e) {
      throw unreachable(node, where, "no answer within " + TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      throw unreachable(node, where, e.getMessage() == null ? e.toString() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while waiting for node " + node);
    }
    Response.ResponseBuilder r = Response.status(answer.statusCode()).entity(answer.body());
    answer.headers().firstValue("Content-Type").ifPresent(t -> r.header("Content-Type", t));
    answer.headers().firstValue("WWW-Authenticate").ifPresent(t -> r.header("WWW-Authenticate", t));
    answer.headers().firstValue("Retry-After").ifPresent(t -> r.header("Retry-After", t));
    return r.build();
  }

  /** The cluster configuration applied on this node ({@code SAFEVAR/cluster/cluster.xml}). */
  public static Supplier<Optional<ClusterConfig>> applied(
      NodeEnvironment env, ConfigService config) {
    return () -> {
      Path file = env.directories().cluster().resolve("cluster.xml");
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      ConfigResult<ClusterConfig> result = config.loadCluster(file);
      return result.isValid() ? Optional.of(result.orElseThrow()) : Optional.empty();
    };
  }

  private static ApiException unreachable(String node, String where, String why) {
    return new ApiException(502, "node " + node + " (" + where + ") cannot be reached: " + why);
  }
}
