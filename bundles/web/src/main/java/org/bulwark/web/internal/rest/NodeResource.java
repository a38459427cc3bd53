package org.bulwark.web.internal.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.web.internal.auth.Role;

/**
 * The node itself: its level (anonymous, spec G.5's example {@code GET /api/v1.0/level}; tests and
 * load balancers use it to see a node's web service up) and its information.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class NodeResource {
  private final NodeEnvironment env;

  NodeResource(NodeEnvironment env) {
    this.env = env;
  }

  /** {@code GET /level}: host, OS, version, license, as {@code safekit level}. */
  @GET
  @Path("level")
  @ApiDoc("Host, OS, version and license of the node (safekit level)")
  @Anonymous
  public Map<String, String> level() {
    Map<String, String> level = new LinkedHashMap<>();
    level.put("host", env.hostName());
    level.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    level.put("version", env.version());
    level.put("license", "Demo (No license)");
    return level;
  }

  /** {@code GET /node}: the level, the address the node serves on and its directories. */
  @GET
  @Path("node")
  @ApiDoc("The level, the address the node serves on and its directories (safekit -p)")
  @Allow(Role.MONITOR)
  public Map<String, Object> node() {
    Map<String, Object> node = new LinkedHashMap<>(level());
    node.put("address", env.bindAddress());
    node.put("directories", env.directories().globalEnvironment());
    return node;
  }
}
