package org.bulwark.config.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.bulwark.api.config.Errd;
import org.bulwark.config.internal.xml.XmlElement;

/** {@code <errd>} and its {@code <proc>}s (spec B.10). */
final class ErrdBuilder {

  /** Linux command names are truncated to 15 characters by the kernel (spec B.10). */
  private static final int COMM_LENGTH = 15;

  private final BuildContext ctx;

  ErrdBuilder(BuildContext ctx) {
    this.ctx = ctx;
  }

  Errd errd(XmlElement element) {
    Fields f = ctx.fields(element);
    BuildContext.Unique names = new BuildContext.Unique(ctx.problems, "process name");
    List<Errd.Proc> procs = new ArrayList<>();
    for (XmlElement proc : element.children("proc")) {
      procs.add(proc(ctx.fields(proc), names));
    }
    return new Errd(f.time("polltimer"), procs);
  }

  private Errd.Proc proc(Fields p, BuildContext.Unique names) {
    String name = p.text("name");
    boolean service = p.text("service").equals("yes");
    if (p.has("name")) {
      names.add(name, p.attribute("name"));
      if (!service && !p.has("nameregex") && name.length() > COMM_LENGTH) {
        ctx.problems.at(
            p.attribute("name"),
            "process name '"
                + name
                + "' is longer than 15 "
                + "characters: Linux truncates command names to 15",
            "use nameregex to match it");
      }
    }
    for (String regex : List.of("nameregex", "argregex")) {
      if (p.has(regex)) {
        checkRegex(p, regex, p.text(regex));
      }
    }
    String action = p.text("action");
    List<String> restartServices = List.of();
    if (p.has("restart_services")) {
      if (!service || !action.equals("restart")) {
        ctx.problems.at(
            p.attribute("restart_services"),
            "restart_services needs service=\"yes\"" + " and action=\"restart\"");
      }
      restartServices =
          Arrays.stream(p.text("restart_services").split(","))
              .map(String::trim)
              .filter(s -> !s.isEmpty())
              .toList();
    }
    return new Errd.Proc(
        name,
        service,
        p.optional("nameregex"),
        p.optional("argregex"),
        p.integer("atleast"),
        p.integer("atmax"),
        action,
        restartServices,
        p.text("class"),
        p.integer("start_after"));
  }

  private void checkRegex(Fields f, String attribute, String regex) {
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      ctx.problems.at(
          f.attribute(attribute),
          "invalid regular expression '" + regex + "': " + e.getDescription());
    }
  }
}
