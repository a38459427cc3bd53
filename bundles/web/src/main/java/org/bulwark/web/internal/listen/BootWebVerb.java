package org.bulwark.web.internal.listen;

import java.util.Set;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;

/**
 * {@code safekit boot webon|weboff|webstatus} (spec F.1): whether the web service starts with the
 * node (on by default). It does not start or stop the running service: {@code safekit webserver}
 * does. The other {@code boot} words belong to the module verb.
 */
public final class BootWebVerb implements CliVerb {
  static final Set<String> WORDS = Set.of("webon", "weboff", "webstatus");

  private final WebControl web;

  public BootWebVerb(WebControl web) {
    this.web = web;
  }

  @Override
  public String name() {
    return "boot";
  }

  @Override
  public Set<String> subcommands() {
    return WORDS;
  }

  @Override
  public String summary() {
    return "whether the web service starts with the node (webon, weboff, webstatus)";
  }

  @Override
  public String usage() {
    return "Usage: safekit boot webon|weboff|webstatus\n"
        + "  Whether the node's web service starts with the node (default webon).";
  }

  @Override
  public boolean journaled(CliRequest request) {
    return !request.args().equals(java.util.List.of("webstatus"));
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    if (request.args().size() != 1 || !WORDS.contains(request.args().get(0))) {
      throw new IllegalArgumentException("expected one of webon, weboff, webstatus");
    }
    switch (request.args().get(0)) {
      case "webon" -> web.setBoot(true);
      case "weboff" -> web.setBoot(false);
      default -> {}
    }
    out.out().println("webserver boot " + (web.status().bootOn() ? "on" : "off"));
    return CliExit.OK;
  }
}
