package org.bulwark.config.internal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.env.NodeEnvironment;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code safekit confinfo -m AM} (spec F.5): signature and Unix timestamp of the active ({@code
 * SAFE/private/modules/AM}) and current ({@code SAFE/modules/AM}) configuration; different
 * signatures mean the current one is not applied.
 */
@Component(service = CliVerb.class)
public final class ConfinfoVerb implements CliVerb {

  private final NodeEnvironment node;

  @Activate
  public ConfinfoVerb(@Reference NodeEnvironment node) {
    this.node = node;
  }

  @Override
  public String name() {
    return "confinfo";
  }

  @Override
  public String summary() {
    return "signatures of a module's active and current configuration";
  }

  @Override
  public String usage() {
    return "usage: safekit confinfo -m AM";
  }

  @Override
  public boolean journaled(CliRequest request) {
    return false;
  }

  @Override
  public int run(CliRequest request, CliOutput out) {
    try {
      return confinfo(request, out);
    } catch (IOException | SecurityException e) {
      out.err().println("confinfo: " + e);
      return CliExit.FAILED;
    }
  }

  private int confinfo(CliRequest request, CliOutput out) throws IOException {
    Optional<String> module = ModuleConfigVerbs.module(request, out, usage());
    if (module.isEmpty()) {
      return CliExit.USAGE;
    }
    Path current = ModuleConfigVerbs.current(node, module.get());
    if (!Files.exists(current)) {
      out.err().println(module.get() + ": module not installed (no " + current + ")");
      return CliExit.FAILED;
    }
    String active = line(out, "active ", ModuleConfigVerbs.active(node, module.get()));
    String now = line(out, "current", current);
    if (!now.equals(active)) {
      out.out()
          .println(
              "the current configuration is not applied: run safekit config -m " + module.get());
    }
    return CliExit.OK;
  }

  private static String line(CliOutput out, String label, Path file) throws IOException {
    if (!Files.exists(file)) {
      out.out().println(label + " signature none");
      return "";
    }
    String signature = ConfigFiles.signature(Files.readAllBytes(file));
    long date = Files.getLastModifiedTime(file).toInstant().getEpochSecond();
    out.out().println(label + " signature " + signature + " date " + date);
    return signature;
  }
}
