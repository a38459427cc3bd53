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
import javax.ws.rs.core.UriInfo;
import org.bulwark.web.internal.auth.Role;

/**
 * {@code /nodes/<node>/…}: any node's API through this one (spec G.5). The caller is authenticated
 * here first (at least Monitor), then again by the other node, which applies its own roles to the
 * request.
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
      description = "The other node authenticates the caller again and applies its own roles.",
      params = {"node: a node name of the applied cluster.xml", "path: the path after /api/v1.0/"},
      errors = {404, 502})
  @Allow(Role.MONITOR)
  public Response get(
      @PathParam("node") String node,
      @PathParam("path") String path,
      @Context UriInfo uri,
      @Context HttpHeaders headers) {
    return forward("GET", node, path, uri, headers, null);
  }

  @POST
  @ApiDoc(
      value = "The same POST on another node of the cluster (spec G.5)",
      params = {"node: a node name of the applied cluster.xml", "path: the path after /api/v1.0/"},
      body = "sent on as is, with its Content-Type",
      errors = {404, 502})
  @Allow(Role.MONITOR)
  public Response post(
      @PathParam("node") String node,
      @PathParam("path") String path,
      @Context UriInfo uri,
      @Context HttpHeaders headers,
      InputStream body) {
    return forward("POST", node, path, uri, headers, Bodies.read(body));
  }

  @DELETE
  @ApiDoc(
      value = "The same DELETE on another node of the cluster (spec G.5)",
      params = {"node: a node name of the applied cluster.xml", "path: the path after /api/v1.0/"},
      errors = {404, 502})
  @Allow(Role.MONITOR)
  public Response delete(
      @PathParam("node") String node,
      @PathParam("path") String path,
      @Context UriInfo uri,
      @Context HttpHeaders headers) {
    return forward("DELETE", node, path, uri, headers, null);
  }

  /** The query as sent (still encoded), or null. */
  private static String query(UriInfo uri) {
    StringJoiner query = new StringJoiner("&");
    uri.getQueryParameters(false)
        .forEach((name, values) -> values.forEach(v -> query.add(name + "=" + v)));
    return query.length() == 0 ? null : query.toString();
  }

  private Response forward(
      String method, String node, String path, UriInfo uri, HttpHeaders headers, byte[] body) {
    // the path as sent, still percent-encoded, so that it reaches the node unchanged
    String raw = uri.getPathParameters(false).getFirst("path");
    return forwarder.forward(
        node,
        method,
        raw == null ? path : raw,
        query(uri),
        headers.getHeaderString(HttpHeaders.AUTHORIZATION),
        headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
        body);
  }
}
