package org.bulwark.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The farm test page of spec D.5: {@code /safekit/mosaic.html?m=<AM>} draws a grid of tiles, each
 * filled by its own request to {@code /safekit/mosaic/who?m=<AM>} on the address the page came from
 * (the virtual IP), coloured by the node that answered. Every answer closes its connection, so that
 * each tile comes from a new TCP connection with a new source port, which the farm filter shares
 * out like any client's (a rule on the web port with {@code on_port} shows the whole farm).
 * Anonymous, like the health-check URL.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("bulwark-mosaic")
@HttpWhiteboardServletPattern("/safekit/*")
public final class MosaicServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final String PAGE_PATH = "/safekit/mosaic.html";
  static final String WHO_PATH = "/safekit/mosaic/who";
  private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final transient NodeEnvironment env;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile ModuleRegistry registry;

  @Activate
  public MosaicServlet(@Reference NodeEnvironment env) {
    this.env = env;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setHeader("Cache-Control", "no-store");
    String path = req.getRequestURI();
    if (path.equals(PAGE_PATH)) {
      resp.setContentType("text/html");
      resp.setCharacterEncoding("UTF-8");
      resp.getOutputStream().write(page());
    } else if (path.equals(WHO_PATH)) {
      // A new connection for the next tile: the farm filter chooses per connection.
      resp.setHeader("Connection", "close");
      resp.setContentType("application/json");
      resp.setCharacterEncoding("UTF-8");
      resp.getWriter()
          .write(who(env.hostName(), env.bindAddress(), req.getParameter("m"), registry));
    } else {
      resp.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
  }

  /**
   * This node's answer for one tile: its name and address and, when a valid module name is given,
   * that module's local state here ({@code UP Ready}, or {@code not installed}).
   */
  static String who(String node, String address, String module, ModuleRegistry registry) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("node", node);
    fields.put("address", address);
    if (module != null && MODULE_NAME.matcher(module).matches()) {
      fields.put("module", module);
      Optional<ModuleStatus> status = registry == null ? Optional.empty() : registry.module(module);
      fields.put("state", status.map(s -> s.local().toString()).orElse("not installed"));
    }
    return Json.object(fields);
  }

  /** The page, read from the bundle once: it never changes while the bundle is there. */
  static byte[] page() throws IOException {
    byte[] page = Page.BYTES;
    if (page == null) {
      throw new IOException("mosaic.html missing from the bundle");
    }
    return page;
  }

  private static final class Page {
    static final byte[] BYTES = read();

    private static byte[] read() {
      try (InputStream in = MosaicServlet.class.getResourceAsStream("mosaic.html")) {
        return in == null ? null : in.readAllBytes();
      } catch (IOException e) {
        return null;
      }
    }
  }

  static String pageText() throws IOException {
    return new String(page(), StandardCharsets.UTF_8);
  }
}
