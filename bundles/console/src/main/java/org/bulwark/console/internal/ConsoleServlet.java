package org.bulwark.console.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
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
 * The web console (spec G.4) at {@code /console/}: the files that Vite built into this bundle. The
 * page itself is anonymous, like SafeKit's login page; everything it shows comes from the REST API,
 * which checks the user's role on every call. {@code index.html} names the node that answered (so
 * that an administrator, and the network lab, see which node served it); the other files have
 * content-hashed names and are cached for good. Text files go gzip-compressed to a browser that
 * accepts it (every current one): the assets are compressed once and kept, the page on each
 * request.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("bulwark-console")
@HttpWhiteboardServletPattern({"/console", "/console/*", "/"})
public final class ConsoleServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final String ROOT = "/console/";
  static final String NODE_MARK = "<!--bulwark-node-->";
  private static final Pattern FILE = Pattern.compile("(assets/)?[A-Za-z0-9_.-]{1,128}");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html;charset=utf-8",
          "js", "text/javascript;charset=utf-8",
          "css", "text/css;charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "json", "application/json",
          "webmanifest", "application/manifest+json");

  /** What is worth compressing: text. Images are compressed already. */
  private static final Set<String> TEXT = Set.of("html", "js", "css", "svg", "json", "webmanifest");

  private final transient NodeEnvironment env;

  /** The compressed assets, by file: they never change while the bundle is installed. */
  private final transient Map<String, byte[]> compressed = new ConcurrentHashMap<>();

  @Activate
  public ConsoleServlet(@Reference NodeEnvironment env) {
    this.env = env;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getRequestURI();
    if (path.equals("/")) {
      resp.sendRedirect(ROOT);
      return;
    }
    if (!path.startsWith(ROOT) && !path.equals("/console")) {
      resp.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    // the page at /console too (its asset paths are absolute): health checks and scripts ask there
    String file = path.length() <= ROOT.length() ? "" : path.substring(ROOT.length());
    boolean gzip = acceptsGzip(req.getHeader("Accept-Encoding"));
    if (file.isEmpty() || file.equals("index.html")) {
      resp.setHeader("Cache-Control", "no-cache");
      resp.setContentType(TYPES.get("html"));
      byte[] page = index(env).getBytes(StandardCharsets.UTF_8);
      send(resp, gzip ? gzip(page) : page, gzip);
      return;
    }
    URL url = FILE.matcher(file).matches() ? resource(file) : null;
    String type = url == null ? null : TYPES.get(extension(file));
    if (type == null) {
      resp.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    resp.setContentType(type);
    if (file.startsWith("assets/")) {
      resp.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    }
    if (gzip && TEXT.contains(extension(file))) {
      byte[] body = compressed.get(file);
      if (body == null) {
        body = gzip(read(url));
        compressed.put(file, body);
      }
      send(resp, body, true);
      return;
    }
    send(resp, read(url), false);
  }

  private static void send(HttpServletResponse resp, byte[] body, boolean gzip) throws IOException {
    resp.setHeader("Vary", "Accept-Encoding");
    if (gzip) {
      resp.setHeader("Content-Encoding", "gzip");
    }
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }

  private static byte[] read(URL url) throws IOException {
    try (InputStream in = url.openStream()) {
      return in.readAllBytes();
    }
  }

  /**
   * Whether an {@code Accept-Encoding} header accepts gzip: listed (or {@code *}) without {@code
   * q=0} (RFC 9110 section 12.5.3).
   */
  static boolean acceptsGzip(String header) {
    if (header == null) {
      return false;
    }
    boolean star = false;
    for (String part : header.split(",")) {
      String[] fields = part.split(";");
      String coding = fields[0].strip().toLowerCase(Locale.ROOT);
      boolean refused = false;
      for (int i = 1; i < fields.length; i++) {
        String f = fields[i].strip().toLowerCase(Locale.ROOT).replace(" ", "");
        if (f.startsWith("q=")) {
          refused = f.substring(2).matches("0(\\.0{0,3})?");
        }
      }
      if (coding.equals("gzip") || coding.equals("x-gzip")) {
        return !refused;
      }
      if (coding.equals("*")) {
        star = !refused;
      }
    }
    return star;
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  /** The page, with the node that serves it named where the build left {@link #NODE_MARK}. */
  static String index(NodeEnvironment env) throws IOException {
    URL url = resource("index.html");
    if (url == null) {
      throw new IOException("console/index.html missing from the bundle: was the console built?");
    }
    String page;
    try (InputStream in = url.openStream()) {
      page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String node =
        "Bulwark node "
            + escape(env.hostName())
            + ", version "
            + escape(env.version())
            + ", listening on "
            + escape(env.bindAddress());
    return page.replace(NODE_MARK, node);
  }

  private static URL resource(String file) {
    return ConsoleServlet.class.getClassLoader().getResource("console/" + file);
  }

  private static String extension(String file) {
    int dot = file.lastIndexOf('.');
    return dot < 0 ? "" : file.substring(dot + 1);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
