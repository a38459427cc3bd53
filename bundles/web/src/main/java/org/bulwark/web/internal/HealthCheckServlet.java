package org.bulwark.web.internal;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStatus;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The health-check URL of cloud load balancers (spec G.10): {@code GET /var/modules/<AM>/ready.txt}
 * answers 200 {@code OK} while the module is PRIM or ALONE Ready (mirror) or UP Ready (farm) on
 * this node, and 404 otherwise. The body stays {@code OK} for the load balancers that match it; the
 * {@code ETag} names the ready period ({@link ModuleStatus#readyTag}), so that a module checker
 * that finds the module ready twice sees whether it was restarted in between (spec B.17).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("bulwark-healthcheck")
@HttpWhiteboardServletPattern("/var/modules/*")
public final class HealthCheckServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final Pattern PATH = Pattern.compile("/var/modules/([^/]+)/ready\\.txt");

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile ModuleRegistry registry;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setHeader("Cache-Control", "no-store");
    Optional<ModuleStatus> ready = ready(req.getRequestURI(), registry);
    if (ready.isPresent()) {
      resp.setHeader("ETag", "\"" + ready.get().readyTag() + "\"");
      resp.setContentType("text/plain");
      resp.getWriter().write("OK\n");
    } else {
      resp.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
  }

  static boolean healthy(String path, ModuleRegistry registry) {
    return ready(path, registry).isPresent();
  }

  /** The module the path names, when it is ready on this node. */
  static Optional<ModuleStatus> ready(String path, ModuleRegistry registry) {
    Matcher m = PATH.matcher(path);
    if (!m.matches() || registry == null) {
      return Optional.empty();
    }
    return registry.module(m.group(1)).filter(s -> s.local().isHealthy());
  }
}
