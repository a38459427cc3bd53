package org.bulwark.web.internal.rest;

import java.io.InputStream;
import java.util.StringJoiner;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.bulwark.web.internal.auth.Role;

/**
 * {@code /nodes/<node>/…}: any node's API through this one (spec G.5, G.4). The caller is
 * authenticated here (at least Monitor); this node then relays the request as the
 * distributed-command user on the caller's behalf, and the other node applies the caller's role
 * ({@link NodeForwarder}).
 */
@Path("nodes/{node}/{path: .+}")
public final class NodesResource {
  private final NodeForwarder forwarder;

  NodesResource(NodeForwarder forwarder) {
    this.forwarder = forwarder;
  }

  @GET
  @ApiDoc(
      value = "The same GET on another node of the cluster (spec G.5)",
      description =
          "This node relays the request as the distributed-command user on the caller's behalf;"
              + " the other node grants the caller's role, never more.",
      params = {"node: a node name of the applied cluster.xml", "path: the path after /api/v1.0/"},
      errors = {404, 502, 503})
  @Allow(Role.MONITOR)
  public Response get(
      @PathParam("node") String node,
      @PathParam("path") String path,
      @Context UriInfo uri,
      @Context HttpHeaders headers,
      @Context SecurityContext security) {
    return forward("GET", node, path, uri, headers, security, null);
  }

  @POST
  @ApiDoc(
      value = "The same POST on another node of the cluster (spec G.5)",
      params = {"node: a node name of the applied cluster.xml", "path: the path after /api/v1.0/"},
      body = "sent on as is, with its Content-Type",
      errors = {404, 502, 503})
  @Allow(Role.MONITOR)
  public Response post(
      @PathParam("node") String node,
      @PathParam("path") String path,
      @Context UriInfo uri,
      @Context HttpHeaders headers,
      @Context SecurityContext security,
      InputStream body) {
    return forward("POST", node, path, uri, headers, security, Bodies.read(body));
  }

  @DELETE
  @ApiDoc(
      value = "The same DELETE on another node of the cluster (spec G.5)",
      params = {"node: a node name of the applied cluster.xml", "path: the path after /api/v1.0/"},
      errors = {404, 502, 503})
  @Allow(Role.MONITOR)
  public Response delete(
      @PathParam("node") String node,
      @PathParam("path") String path,
      @Context UriInfo uri,
      @Context HttpHeaders headers,
      @Context SecurityContext security) {
    return forward("DELETE", node, path, uri, headers, security, null);
  }

  /** The query as sent (still encoded), or null. */
  private static String query(UriInfo uri) {
    StringJoiner query = new StringJoiner("&");
    uri.getQueryParameters(false)
        .forEach((name, values) -> values.forEach(v -> query.add(name + "=" + v)));
    return query.length() == 0 ? null : query.toString();
  }

  private Response forward(
      String method,
      String node,
      String path,
      UriInfo uri,
      HttpHeaders headers,
      SecurityContext security,
      byte[] body) {
    // the path as sent, still percent-encoded, so that it reaches the node unchanged
    String raw = uri.getPathParameters(false).getFirst("path");
    return forwarder.forward(
        node,
        method,
        raw == null ? path : raw,
        query(uri),
        ModulesResource.caller(security),
        headers.getHeaderString(HttpHeaders.AUTHORIZATION),
        headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
        body);
  }
}
