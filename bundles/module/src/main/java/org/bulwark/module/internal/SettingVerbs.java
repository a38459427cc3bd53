package org.bulwark.module.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.module.internal.VerbSupport.Args;

/**
 * Persistent maintenance toggles and resources (spec F.3): {@code boot on|off|status}, {@code
 * checker on|off} ({@code errd on|off} is {@link ErrdVerb}'s) (resources {@code usersetting.*}),
 * {@code get -r} and {@code set -r -v}. Toggles survive restarts: they live in the resource table;
 * {@code config} puts {@code checker}, {@code errd} and {@code failover} back ({@link Toggles}).
 * Each toggle runs the module's {@code update} script when the module runs in a stable state.
 */
final class SettingVerbs {
  private final Function<CliRequest, ModuleRuntime> module;
  private final Supplier<List<ModuleRuntime>> all;

  /**
   * @param module the module a request names (an error when it names none or an unknown one)
   * @param all every module, sorted by name
   */
  SettingVerbs(Function<CliRequest, ModuleRuntime> module, Supplier<List<ModuleRuntime>> all) {
    this.module = module;
    this.all = all;
  }

  List<CliVerb> verbs() {
    List<CliVerb> list = new ArrayList<>();
    list.add(toggle("checker", "checkers on or off (persistent)"));
    list.add(boot());
    list.add(get());
    list.add(set());
    return list;
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
          ModuleRuntime m = module.apply(request);
          ModuleVerbs.within(
              m.setResource("usersetting." + name, onOff, request.actor()),
              ModuleVerbs.ANSWER,
              "record it");
          m.toggled();
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
                request.module() == null ? all.get() : List.of(module.apply(request));
            for (ModuleRuntime m : modules) {
              out.out().printf("%-20s %s%n", m.name, m.bootEnabled() ? "on" : "off");
            }
            return CliExit.OK;
          }
          String onOff = onOff("boot", word);
          ModuleRuntime m = module.apply(request);
          ModuleVerbs.within(
              m.setResource("usersetting.boot", onOff, request.actor()),
              ModuleVerbs.ANSWER,
              "record it");
          m.toggled();
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
          ModuleRuntime m = module.apply(request);
          Optional<String> value = Optional.ofNullable(m.resources().get(name));
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
        "Usage: safekit set -r <resource> -v <value> [-n|-l] [-i identity] -m AM\n"
            + "  -n  no history row and no log line (the value is not kept across a restart)\n"
            + "  -l  a history row and a log line even when the value does not change\n"
            + "  -i  who sets it, in the log (a checker's or a script's name)",
        true,
        (request, out) -> {
          Args args = new Args(request.args());
          String name = args.option("-r");
          String value = args.option("-v");
          String id = args.option("-i");
          boolean quiet = args.flag("-n");
          boolean logged = args.flag("-l");
          args.end();
          if (name == null || value == null) {
            throw new IllegalArgumentException("set needs -r <resource> and -v <value>");
          }
          if (quiet && logged) {
            throw new IllegalArgumentException("set takes -n or -l, not both");
          }
          checkName(name);
          checkValue(value);
          ResourceTable.History history =
              quiet
                  ? ResourceTable.History.NONE
                  : logged ? ResourceTable.History.ALWAYS : ResourceTable.History.CHANGES;
          ModuleVerbs.within(
              module
                  .apply(request)
                  .setResource(name, value, id == null ? request.actor() : id, history),
              ModuleVerbs.ANSWER,
              "record it");
          return CliExit.OK;
        });
  }

  /** A resource name is {@code class.id} (spec B.20): what a rule can name. */
  static void checkName(String name) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*\\.[^\\s]+") || name.length() > 255) {
      throw new IllegalArgumentException(
          "bad resource name '"
              + name
              + "': expected class.id, e.g. custom.myapp (spec B.20), at most 255 characters");
    }
  }

  /** A value is one word of at most 255 characters: up, down, a number, a state. */
  static void checkValue(String value) {
    if (value.isEmpty() || value.length() > 255 || !value.matches("\\S+")) {
      throw new IllegalArgumentException(
          "bad resource value '" + value + "': expected one word (up, down, a number …)");
    }
  }

  private static String onOff(String verb, String word) {
    if (!"on".equals(word) && !"off".equals(word)) {
      throw new IllegalArgumentException(verb + " takes on or off");
    }
    return word;
  }
}
