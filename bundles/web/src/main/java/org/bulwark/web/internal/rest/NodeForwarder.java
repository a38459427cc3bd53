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
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.ws.rs.core.Response;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.config.Node;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.web.internal.auth.Caller;
import org.bulwark.web.internal.auth.Delegation;
import org.bulwark.web.internal.events.Topology;
import org.bulwark.web.internal.listen.WebAddresses;
import org.bulwark.web.internal.rcmd.RcmdCredentials;

/**
 * Reaches another node's API through this one (spec G.5, {@code /api/v1.0/nodes/<node>/…}): the
 * request goes to the node's address on the command lan of the applied {@code cluster.xml}, on this
 * node's web port (spec F.7: the local web settings are the default).
 *
 * <p>How the other node knows the caller: this node has authenticated the caller already (a console
 * session, Basic or an API key, which exist on this node only). It presents itself as the
 * distributed-command user ({@code rcmdadmin}, {@code safekit webservercfg -rcmdpasswd}) and names
 * the caller, the caller's role and address ({@link Delegation}); the other node honours those
 * names from that user only and grants no more than the role named. Without distributed-command
 * credentials on this node, a request with an {@code Authorization} header is sent on with it, and
 * the other node authenticates the caller again (spec G.2: the user files are identical on every
 * node); a console session cannot be sent on, and the answer says how to set the credentials.
 */
public final class NodeForwarder {
  /** How long a node has to answer: control commands answer once accepted, well within this. */
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  /** The path after {@code nodes/<node>/}: API segments only, never a way out of the API. */
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._~%-]+(/[A-Za-z0-9._~%-]+)*");

  /** The headers of the other node's answer that reach the caller (a snapshot's file name …). */
  private static final List<String> PASSED_BACK =
      List.of("Content-Type", "Content-Disposition", "WWW-Authenticate", "Retry-After");

  private final Supplier<Optional<ClusterConfig>> cluster;
  private final int webPort;
  private final RcmdCredentials rcmd;
  private final HttpClient http;

  /**
   * @param cluster the applied cluster configuration, if any
   * @param webPort the web port of the nodes
   * @param rcmd this node's distributed-command credentials ({@code SAFE/web/conf/rcmd.conf})
   */
  public NodeForwarder(
      Supplier<Optional<ClusterConfig>> cluster, int webPort, RcmdCredentials rcmd) {
    this.cluster = cluster;
    this.webPort = webPort;
    this.rcmd = rcmd;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** The applied cluster configuration, if any. */
  Optional<ClusterConfig> cluster() {
    return cluster.get();
  }

  /** The web port of the nodes. */
  int webPort() {
    return webPort;
  }

  /** The distributed-command user that may relay requests to this node ({@link Delegation}). */
  String relayUser() throws IOException {
    return rcmd.relayUser();
  }

  /** How this node presents itself to the others, if its credentials are set. */
  Optional<String> nodeAuthorization() throws IOException {
    return rcmd.basicAuthorization();
  }

  /** {@code [addr]} for an IPv6 address, else the address: the host part of a URL. */
  static String urlHost(String addr) {
    return addr.contains(":") && !addr.startsWith("[") ? "[" + addr + "]" : addr;
  }

  /**
   * Sends the request of {@code caller} to {@code node} and returns its answer as is.
   *
   * @param authorization the caller's own {@code Authorization} header, or null (a session)
   */
  Response forward(
      String node,
      String method,
      String path,
      String query,
      Caller caller,
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
    String where = urlHost(target.addr()) + ":" + webPort;
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
    Optional<String> asNode;
    try {
      asNode = rcmd.basicAuthorization();
    } catch (IOException e) {
      throw new ApiException(503, "the distributed-command credentials cannot be read: " + e);
    }
    if (asNode.isPresent()) {
      request
          .header("Authorization", asNode.get())
          .header(Delegation.USER, caller.name())
          .header(Delegation.ROLE, caller.role().label())
          .header(Delegation.ADDRESS, caller.address());
    } else if (authorization != null) {
      request.header("Authorization", authorization);
    } else {
      throw new ApiException(
          503,
          "this node cannot relay a console session to node "
              + node
              + ": set the distributed-command password, the same on every node, with 'safekit"
              + " webservercfg -rcmdpasswd <password>'");
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
    for (String header : PASSED_BACK) {
      answer.headers().firstValue(header).ifPresent(t -> r.header(header, t));
    }
    return r.build();
  }

  /**
   * The nodes whose states a console on this node follows ({@code /events/cluster}): this node and
   * the others of the command lan, reached as the distributed-command user.
   */
  Supplier<Topology> topology(NodeEnvironment env) {
    return () -> {
      Optional<ClusterConfig> config = cluster.get();
      String self =
          WebAddresses.localNode(env.bindAddress(), env.hostName(), config).orElse(env.hostName());
      List<Topology.Peer> peers =
          config
              .map(
                  c ->
                      c.commandLan().nodes().stream()
                          .filter(n -> !n.name().equals(self))
                          .map(
                              n ->
                                  new Topology.Peer(
                                      n.name(),
                                      URI.create(
                                          "http://"
                                              + urlHost(n.addr())
                                              + ":"
                                              + webPort
                                              + "/api/v1.0/events")))
                          .toList())
              .orElse(List.of());
      Optional<String> authorization;
      try {
        authorization = rcmd.basicAuthorization();
      } catch (IOException e) {
        authorization = Optional.empty(); // each peer then says why it cannot be reached
      }
      return new Topology(self, peers, authorization);
    };
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
