package org.bulwark.web.internal;

import java.io.IOException;
import java.io.PrintWriter;
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

/**
 * {@code /console}: the node's landing page. The full console (spec G.4) comes with the REST API;
 * until then this page tells an administrator which node answered and where the API is.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("bulwark-console")
@HttpWhiteboardServletPattern({"/console", "/console/*", "/"})
public final class ConsoleServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient NodeEnvironment env;

  @Activate
  public ConsoleServlet(@Reference NodeEnvironment env) {
    this.env = env;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getRequestURI();
    if (!path.equals("/") && !path.startsWith("/console")) {
      resp.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    resp.setContentType("text/html");
    resp.setCharacterEncoding("UTF-8");
    PrintWriter w = resp.getWriter();
    w.println("<!doctype html><html><head><meta charset=\"utf-8\"><title>Bulwark</title></head>");
    w.println("<body><h1>Bulwark node " + escape(env.hostName()) + "</h1>");
    w.println(
        "<p>Version " + escape(env.version()) + ", listening on " + escape(env.bindAddress()));
    w.println("</p><p>API: <a href=\"/api/v1.0/level\">/api/v1.0/level</a></p></body></html>");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
