package org.bulwark.module.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.module.internal.VerbSupport.Args;

/**
 * Persistent maintenance toggles and resources (spec F.3): {@code boot on|off|status}, {@code errd
 * on|off} (with the rest of {@link ErrdVerb}), {@code checker on|off} (resources {@code
 * usersetting.*}), {@code get -r} and {@code set -r -v}. Toggles survive restarts: they live in the
 * resource table.
 */
final class SettingVerbs {
  private final ModuleVerbs verbs;
  private final ResourceHistory resources;

  SettingVerbs(ModuleVerbs verbs, ResourceHistory resources) {
    this.verbs = verbs;
    this.resources = resources;
  }

  List<CliVerb> verbs() {
    List<CliVerb> list = new ArrayList<>();
    list.add(ErrdVerb.verb(verbs, verbs::userVar));
    list.add(toggle("checker", "checkers on or off (persistent)"));
    list.add(boot());
    list.add(get());
    list.add(set());
    return list;
  }

  /** The current value of a resource of a module, if it has one. */
  static Optional<String> value(ResourceHistory resources, String module, String name)
      throws Exception {
    return resources.current(module).stream()
        .filter(r -> r.name().equals(name))
        .map(ResourceEntry::value)
        .findFirst();
  }

  private CliVerb toggle(String name, String summary) {
    return new VerbSupport(
        name,
        summary,
        "Usage: safekit " + name + " on|off -m AM\n  " + summary + "; resource usersetting." + name,
        true,
        (request, out) -> {
          Args args = new Args(request.args());
          String onOff = onOff(name, args.next());
          args.end();
          ModuleVerbs.within(
              verbs.module(request).setResource("usersetting." + name, onOff, request.actor()),
              ModuleVerbs.ANSWER,
              "record it");
          return CliExit.OK;
        });
  }

  private CliVerb boot() {
    return new VerbSupport(
        "boot",
        "start a module when the node starts: on, off, or status",
        "Usage: safekit boot on|off -m AM\n       safekit boot status [-m AM]\n"
            + "  Resource usersetting.boot; service@boot=\"on\" or \"off\" in userconfig.xml wins.",
        true,
        (request, out) -> {
          Args args = new Args(request.args());
          String word = args.next();
          args.end();
          if ("status".equals(word)) {
            List<ModuleRuntime> modules =
                request.module() == null ? verbs.all() : List.of(verbs.module(request));
            for (ModuleRuntime m : modules) {
              out.out().printf("%-20s %s%n", m.name, m.bootEnabled() ? "on" : "off");
            }
            return CliExit.OK;
          }
          String onOff = onOff("boot", word);
          ModuleVerbs.within(
              verbs.module(request).setResource("usersetting.boot", onOff, request.actor()),
              ModuleVerbs.ANSWER,
              "record it");
          return CliExit.OK;
        });
  }

  private CliVerb get() {
    return new VerbSupport(
        "get",
        "print the value of a module resource",
        "Usage: safekit get -r <resource> -m AM",
        false,
        (request, out) -> {
          Args args = new Args(request.args());
          String name = args.option("-r");
          args.end();
          if (name == null) {
            throw new IllegalArgumentException("get needs -r <resource>");
          }
          ModuleRuntime m = verbs.module(request);
          Optional<String> value = value(resources, m.name, name);
          if (value.isEmpty()) {
            out.err().println("Error: module " + m.name + " has no resource " + name);
            return CliExit.FAILED;
          }
          out.out().println(value.get());
          return CliExit.OK;
        });
  }

  private CliVerb set() {
    return new VerbSupport(
        "set",
        "set a module resource (custom checkers, scripts)",
        "Usage: safekit set -r <resource> -v <value> [-i identity] -m AM",
        true,
        (request, out) -> {
          Args args = new Args(request.args());
          String name = args.option("-r");
          String value = args.option("-v");
          String id = args.option("-i");
          args.flag("-n");
          args.flag("-l");
          args.end();
          if (name == null || value == null) {
            throw new IllegalArgumentException("set needs -r <resource> and -v <value>");
          }
          ModuleVerbs.within(
              verbs.module(request).setResource(name, value, id == null ? request.actor() : id),
              ModuleVerbs.ANSWER,
              "record it");
          return CliExit.OK;
        });
  }

  private static String onOff(String verb, String word) {
    if (!"on".equals(word) && !"off".equals(word)) {
      throw new IllegalArgumentException(verb + " takes on or off");
    }
    return word;
  }
}
