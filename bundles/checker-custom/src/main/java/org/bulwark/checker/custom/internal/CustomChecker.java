package org.bulwark.checker.custom.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerProvider;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.config.Check;
import org.osgi.service.component.annotations.Component;

/**
 * {@code <custom>} (spec B.16): the user's program, run as {@code exec <module> custom.<ident>
 * [arg…]} from the start of its phase to its end. It loops by itself and sets its resource with
 * {@code safekit set -r custom.<ident> -v up|down}; until it does, the resource stays {@code init}.
 */
@Component(service = CheckerProvider.class)
public final class CustomChecker implements CheckerProvider {
  static final String BY = "customcheck";

  @Override
  public String type() {
    return "custom";
  }

  @Override
  public List<Watch> checks(CheckerContext context) {
    List<Watch> watches = new ArrayList<>();
    for (Check.Custom c : context.config().check().custom()) {
      String resource = "custom." + c.ident();
      watches.add(
          Watch.supervised(
              resource,
              BY,
              Watch.phase(c.when()),
              new CustomProgram(command(context, c, resource), context)));
    }
    return watches;
  }

  /** The program (relative paths from the module's {@code bin/}), module, resource, arguments. */
  static List<String> command(CheckerContext context, Check.Custom c, String resource) {
    List<String> command = new ArrayList<>();
    Path exec = Path.of(c.exec());
    command.add(exec.isAbsolute() ? exec.toString() : context.bin().resolve(exec).toString());
    command.add(context.module());
    command.add(resource);
    c.arg().ifPresent(a -> command.addAll(List.of(a.trim().split("\\s+"))));
    return command;
  }
}
