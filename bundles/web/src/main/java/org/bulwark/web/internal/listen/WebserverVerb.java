package org.bulwark.web.internal.listen;

import java.util.List;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;

/**
 * {@code safekit webserver start|stop|restart|status} (spec F.1): SafeKit starts and stops its
 * Apache service; here the web service is the node's embedded HTTP server (console, REST API,
 * health check, mosaic), stopped and started without stopping the node or its modules.
 */
public final class WebserverVerb implements CliVerb {
  private final WebControl web;

  public WebserverVerb(WebControl web) {
    this.web = web;
  }

  @Override
  public String name() {
    return "webserver";
  }

  @Override
  public String summary() {
    return "start, stop, restart or show the node's web service (console, API, health check)";
  }

  @Override
  public String usage() {
    return "Usage: safekit webserver start|stop|restart|status\n"
        + "  Starts or stops the node's HTTP service without stopping the node or its modules.";
  }

  @Override
  public boolean journaled(CliRequest request) {
    return !request.args().equals(List.of("status"));
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    if (request.args().size() != 1) {
      throw new IllegalArgumentException("expected one of start, stop, restart, status");
    }
    switch (request.args().get(0)) {
      case "start" -> web.start();
      case "stop" -> web.stop();
      case "restart" -> {
        web.stop();
        web.start();
      }
      case "status" -> {}
      default ->
          throw new IllegalArgumentException(
              "unknown action '"
                  + request.args().get(0)
                  + "'; expected start, stop, restart, status");
    }
    print(web.status(), out);
    return CliExit.OK;
  }

  static void print(WebControl.Status s, CliOutput out) {
    out.out()
        .printf(
            "webserver %s on %s port %d (bulwark.web.addr=%s), boot %s%n",
            s.running() ? "running" : "stopped",
            String.join(",", s.addresses()),
            s.port(),
            s.setting(),
            s.bootOn() ? "webon" : "weboff");
  }
}
