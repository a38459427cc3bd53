package org.bulwark.checker.module.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerProvider;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.config.Check;
import org.bulwark.api.config.Node;
import org.osgi.service.component.annotations.Component;

/**
 * {@code <module>} (spec B.17): the module this one depends on, polled every {@code interval} on
 * the web service of the node that runs it, through its health-check URL {@code
 * /var/modules/<name>/ready.txt} (spec G.10: 200 while PRIM or ALONE Ready for a mirror, UP Ready
 * for a farm). Resource {@code module.<ident>}, process {@code modulecheck}, in every running state
 * (the predefined rule {@code module_failure} makes the module wait). When the other module is
 * ready again after it was not, while this module kept running Ready, it was restarted: this module
 * is stopped and started again ({@code Action stopstart called by modulecheck}). A restart shorter
 * than the interval, which no test sees, is told by the health-check URL's {@code ETag}: the other
 * module's ready period, which changes each time it becomes ready again.
 */
@Component(service = CheckerProvider.class)
public final class ModuleChecker implements CheckerProvider {
  static final String BY = "modulecheck";

  // one client for every watch: its selector thread is shared
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @Override
  public String type() {
    return "module";
  }

  @Override
  public List<Watch> checks(CheckerContext context) {
    return context.config().check().module().stream().map(this::watch).toList();
  }

  Watch watch(Check.Module m) {
    URI uri = uri(m);
    return new Watch(
        "module." + m.ident(),
        BY,
        Watch.PRE,
        m.interval(),
        m.timeout(),
        Duration.ZERO,
        1,
        1,
        false,
        Optional.of(new Watch.Reaction("stopstart", BY, Watch.Reaction.On.RECOVERY)),
        timeout -> ready(m, uri, timeout));
  }

  static URI uri(Check.Module m) {
    String host = Node.host(m.addr());
    if (host.contains(":")) {
      host = "[" + host + "]"; // an IPv6 literal
    }
    return URI.create(
        (m.secure() ? "https" : "http")
            + "://"
            + host
            + ":"
            + m.port()
            + "/var/modules/"
            + m.name()
            + "/ready.txt");
  }

  private ProbeResult ready(Check.Module m, URI uri, Duration timeout) {
    String where = "Module " + m.name() + " on " + m.addr() + ":" + m.port();
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      if (status != 200) {
        return ProbeResult.down(where + " is not ready (HTTP " + status + ")");
      }
      // the ready period of the other module: a new one means a restart between two tests
      return response
          .headers()
          .firstValue("ETag")
          .map(tag -> ProbeResult.up(where + " is ready", tag))
          .orElseGet(() -> ProbeResult.up(where + " is ready"));
    } catch (IOException e) {
      return ProbeResult.down(where + " not reached: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeResult.down(where + ": interrupted");
    }
  }
}
