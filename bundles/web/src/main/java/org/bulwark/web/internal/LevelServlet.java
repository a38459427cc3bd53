package org.bulwark.web.internal;

import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.bulwark.api.env.NodeEnvironment;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** {@code GET /api/v1.0/level}: the node's host, version and license (spec G.5 example). */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("bulwark-level")
@HttpWhiteboardServletPattern("/api/v1.0/level")
public final class LevelServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient NodeEnvironment env;

  @Activate
  public LevelServlet(@Reference NodeEnvironment env) {
    this.env = env;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.getWriter().write(Json.object(Level.of(env)));
  }
}
