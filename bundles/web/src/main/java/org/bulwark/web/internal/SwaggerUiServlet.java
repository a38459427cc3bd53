package org.bulwark.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code /swagger-ui}: Swagger UI on the node's OpenAPI description ({@code
 * /api/v1.0/openapi.json}), as SafeKit serves it (spec G.5). The page's files are embedded in this
 * bundle from the Swagger UI webjar at build time: nothing is fetched at run time. Anonymous, like
 * the description; the calls made from the page authenticate as any other.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("bulwark-swagger-ui")
@HttpWhiteboardServletPattern({"/swagger-ui", "/swagger-ui/*"})
public final class SwaggerUiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The files served, with their types: nothing else of the bundle is reachable. */
  static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "bulwark-swagger.js", "text/javascript; charset=utf-8",
          "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
          "swagger-ui-bundle.js.LICENSE.txt", "text/plain; charset=utf-8",
          "swagger-ui.css", "text/css; charset=utf-8",
          "favicon-32x32.png", "image/png",
          "favicon-16x16.png", "image/png");

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo();
    if (path == null || path.isEmpty()) {
      // relative links of the page need the trailing slash
      resp.sendRedirect(req.getRequestURI() + "/");
      return;
    }
    String name = path.equals("/") ? "index.html" : path.substring(1);
    String type = FILES.get(name);
    try (InputStream in =
        type == null ? null : SwaggerUiServlet.class.getResourceAsStream("swagger-ui/" + name)) {
      if (in == null) {
        resp.sendError(HttpServletResponse.SC_NOT_FOUND);
        return;
      }
      resp.setContentType(type);
      resp.setHeader("Cache-Control", name.equals("index.html") ? "no-cache" : "max-age=86400");
      resp.setHeader("X-Content-Type-Options", "nosniff");
      in.transferTo(resp.getOutputStream());
    }
  }
}
