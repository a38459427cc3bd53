package org.bulwark.failover;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.config.Check;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.Failover;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.failover.internal.LuaRules;
import org.bulwark.failover.internal.Parser;
import org.bulwark.failover.internal.Rule;
import org.bulwark.failover.internal.RuleProblem;
import org.bulwark.failover.internal.SourceMap;

/**
 * Compiles a module's failover rules (spec B.19): the default rules of the checkers, the internal
 * rules of replication and of the machine, the rules generated from the tcp, ping and custom
 * checkers ({@code t_}, {@code p_}, {@code c_} + ident, spec B.11) and the {@code <failover>}
 * sections of {@code userconfig.xml}, in both forms. Every mistake comes back as a {@link
 * ConfigurationError} naming the file, line and column, for {@code confcheck}; nothing is compiled
 * in half.
 *
 * <p>A builder: {@link #forModule} fills it from a parsed {@code userconfig.xml}; tests set each
 * part by hand.
 */
public final class FailoverRules {

  /** The path of the element the user's rules come from, in errors. */
  public static final String PATH = "/safe/service/failover";

  /** Where the embedded rules live, as their errors would name them. */
  private static final String EMBEDDED = "bulwark:";

  /** The result: the rules, or every error found. */
  public record Compiled(Optional<RuleSet> rules, List<ConfigurationError> errors) {
    public Compiled {
      errors = List.copyOf(errors);
    }

    public boolean ok() {
      return errors.isEmpty();
    }

    /** The rules; an {@link IllegalStateException} listing the errors when there are some. */
    public RuleSet orThrow() {
      return rules.orElseThrow(
          () ->
              new IllegalStateException(
                  String.join("\n", errors.stream().map(ConfigurationError::format).toList())));
    }
  }

  private record Generated(String label, String resource, FailoverAction action, String path) {}

  private record Section(String text, int line, int column) {}

  private final boolean mirror;
  private String file = "userconfig.xml";
  private boolean extendsDefaults = true;
  private boolean replication;
  private boolean syncdelta;
  private boolean syncat;
  private Duration period = Failover.DEFAULT_PERIOD;
  private Duration handleTime = Failover.DEFAULT_HANDLE_TIME;
  private final List<Generated> generated = new ArrayList<>();
  private final List<Section> sections = new ArrayList<>();

  private FailoverRules(boolean mirror) {
    this.mirror = mirror;
  }

  /** Rules of a mirror module: local and {@code remote.} resources. */
  public static FailoverRules mirror() {
    return new FailoverRules(true);
  }

  /** Rules of a farm (or light) module: local resources only (spec B.19). */
  public static FailoverRules farm() {
    return new FailoverRules(false);
  }

  /** The rules of a parsed {@code userconfig.xml} named {@code file} in errors. */
  public static FailoverRules forModule(ModuleConfig config, String file) {
    FailoverRules b = config.mode() == ServiceConfig.Mode.MIRROR ? mirror() : farm();
    b.file(file);
    config
        .rfs()
        .ifPresent(
            rfs ->
                b.replication(
                    true,
                    rfs.syncdelta().compareTo(Duration.ofMinutes(1)) > 0,
                    rfs.syncat().isPresent()));
    Check check = config.check();
    for (Check.Tcp t : check.tcp()) {
      b.generated("t_", "tcp", t.ident(), t.action());
    }
    for (Check.Ping p : check.ping()) {
      b.generated("p_", "ping", p.ident(), p.action());
    }
    for (Check.Custom c : check.custom()) {
      b.generated("c_", "custom", c.ident(), c.action());
    }
    config
        .failover()
        .ifPresent(
            f -> {
              b.extendsDefaults(f.extendsDefaults()).timing(f.period(), f.handleTime());
              for (Failover.RuleSection s : f.sections()) {
                b.section(s.text(), s.line(), s.column());
              }
            });
    return b;
  }

  private void generated(String prefix, String cls, String ident, Check.Action action) {
    if (action != Check.Action.NOACTION) {
      generated.add(
          new Generated(
              prefix + ident,
              cls + "." + ident,
              FailoverAction.valueOf(action.name()),
              "/safe/service/check/" + cls + "[@ident='" + ident + "']"));
    }
  }

  /** The file name errors give for the user's sections. */
  public FailoverRules file(String name) {
    this.file = name;
    return this;
  }

  /** {@code extends="no"} drops the default and generated rules (spec B.19). */
  public FailoverRules extendsDefaults(boolean value) {
    this.extendsDefaults = value;
    return this;
  }

  /**
   * The module replicates files ({@code <rfs>}): rules {@code notuptodate_server} and {@code
   * degraded_server}; with {@code syncdelta} &gt; 1 min {@code rfs_forceuptodate} (spec C.6); with
   * {@code syncat} {@code rfs_syncat_wait} (spec C.12).
   */
  public FailoverRules replication(boolean rfs, boolean withSyncdelta, boolean withSyncat) {
    this.replication = rfs;
    this.syncdelta = rfs && withSyncdelta;
    this.syncat = rfs && withSyncat;
    return this;
  }

  /** {@code period} and {@code handle_time} (spec B.19). */
  public FailoverRules timing(Duration evaluationPeriod, Duration handle) {
    this.period = evaluationPeriod;
    this.handleTime = handle;
    return this;
  }

  /** A checker's generated rule, {@code label: if (resource == down) then action();}. */
  public FailoverRules checker(String label, String resource, FailoverAction action) {
    generated.add(new Generated(label, resource, action, "/safe/service/check"));
    return this;
  }

  /**
   * One {@code <failover>} section (a CDATA block), {@code --Lua Rules} or not.
   *
   * @param text the rules
   * @param line the line of its first non-blank character in the file
   * @param column the column of that character, 0 when unknown
   */
  public FailoverRules section(String text, int line, int column) {
    sections.add(new Section(text, line, column));
    return this;
  }

  /** Compiles every rule; all errors at once. */
  public Compiled compile() {
    List<ConfigurationError> errors = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    if (period.isZero() || period.isNegative()) {
      errors.add(error(1, 1, "period must be greater than 0", null));
    } else if (handleTime.toMillis() % period.toMillis() != 0) {
      errors.add(
          error(
              1,
              1,
              "handle_time ("
                  + handleTime.toMillis()
                  + " ms) must be a multiple of period ("
                  + period.toMillis()
                  + " ms)",
              null));
    }
    Parser.Options internal = new Parser.Options(mirror, true, Rule.Origin.INTERNAL);
    if (extendsDefaults) {
      rules.addAll(
          embedded("default.rules", new Parser.Options(mirror, false, Rule.Origin.DEFAULT)));
    }
    if (mirror && replication) {
      rules.addAll(embedded("mirror.rules", internal));
    }
    if (mirror && syncdelta) {
      rules.addAll(embedded("syncdelta.rules", internal));
    }
    if (mirror && syncat) {
      rules.addAll(embedded("syncat.rules", internal));
    }
    if (extendsDefaults) {
      for (Generated g : generated) {
        String text =
            g.label() + ": if (" + g.resource() + " == down) then " + g.action().word() + "();";
        Parser.Result r =
            Parser.parse(
                SourceMap.whole(file, text),
                new Parser.Options(mirror, false, Rule.Origin.GENERATED));
        if (r.problems().isEmpty()) {
          rules.addAll(r.rules());
        } else {
          errors.add(
              new ConfigurationError(
                  file,
                  1,
                  1,
                  g.path(),
                  "the checker's ident cannot name a resource in rule "
                      + g.label()
                      + ": "
                      + r.problems().get(0).getMessage(),
                  null));
        }
      }
    }
    List<Rule> machine = embedded("machine.rules", internal);
    // Every section first, then the disables, then the user's rules: a rule removed with
    // Rules.disable may be replaced by one of the same label, in any section.
    List<Rule> users = new ArrayList<>();
    List<LuaRules.Disable> disabled = new ArrayList<>();
    List<SourceMap> disabledIn = new ArrayList<>();
    Parser.Options user = new Parser.Options(mirror, false, Rule.Origin.USER);
    for (Section s : sections) {
      SourceMap map = new SourceMap(file, s.text(), s.line(), s.column());
      List<RuleProblem> problems;
      if (s.text().strip().startsWith("--Lua Rules")) {
        LuaRules.Result r = LuaRules.parse(map, user);
        users.addAll(r.rules());
        problems = r.problems();
        for (LuaRules.Disable d : r.disabled()) {
          disabled.add(d);
          disabledIn.add(map);
        }
      } else {
        Parser.Result r = Parser.parse(map, user);
        users.addAll(r.rules());
        problems = r.problems();
      }
      for (RuleProblem p : problems) {
        errors.add(
            error(map.line(p.offset()), map.column(p.offset()), p.getMessage(), p.suggestion()));
      }
    }
    for (int i = 0; i < disabled.size(); i++) {
      disable(disabled.get(i), disabledIn.get(i), rules, machine, users, errors);
    }
    Map<String, Rule> byLabel = new HashMap<>();
    rules.forEach(r -> byLabel.put(r.label(), r));
    machine.forEach(r -> byLabel.put(r.label(), r));
    for (Rule r : users) {
      Rule before = byLabel.put(r.label(), r);
      if (before == null) {
        rules.add(r);
      } else if (before.origin() == Rule.Origin.DEFAULT
          || before.origin() == Rule.Origin.GENERATED) {
        // The administrator's rule of the same label takes the place of the default or
        // generated one (a <ping ident="gw"> and a user rule p_gw: the user's is applied).
        rules.set(rules.indexOf(before), r);
      } else {
        byLabel.put(before.label(), before);
        errors.add(
            error(
                r.line(),
                r.column(),
                "rule " + r.label() + " is already defined (" + describe(before) + ")",
                null));
      }
    }
    rules.addAll(machine);
    if (!errors.isEmpty()) {
      return new Compiled(Optional.empty(), errors);
    }
    return new Compiled(Optional.of(new RuleSet(rules, period, handleTime)), List.of());
  }

  /** {@code Rules.disable}: a default or generated rule, else a user's; never an internal one. */
  private void disable(
      LuaRules.Disable d,
      SourceMap map,
      List<Rule> base,
      List<Rule> machine,
      List<Rule> users,
      List<ConfigurationError> errors) {
    int line = map.line(d.offset());
    int column = map.column(d.offset());
    Optional<Rule> target =
        base.stream()
            .filter(r -> r.label().equals(d.label()))
            .findFirst()
            .or(() -> machine.stream().filter(r -> r.label().equals(d.label())).findFirst());
    if (target.isPresent() && target.get().origin() == Rule.Origin.INTERNAL) {
      errors.add(
          error(
              line,
              column,
              "Rules.disable: "
                  + d.label()
                  + " is an internal rule of the failover machine and cannot be removed"
                  + " (spec B.19)",
              null));
    } else if (target.isPresent()) {
      base.remove(target.get());
    } else if (!users.removeIf(r -> r.label().equals(d.label()))) {
      errors.add(
          error(
              line,
              column,
              "Rules.disable: no rule is named " + d.label(),
              suggestLabel(d.label(), base, users)));
    }
  }

  private static String suggestLabel(String label, List<Rule> base, List<Rule> users) {
    List<String> labels = new ArrayList<>();
    base.forEach(r -> labels.add(r.label()));
    users.forEach(r -> labels.add(r.label()));
    return org.bulwark.failover.internal.Vocabulary.suggest(label, labels);
  }

  private static String describe(Rule r) {
    return switch (r.origin()) {
      case DEFAULT -> "a default rule";
      case INTERNAL -> "an internal rule";
      case GENERATED -> "generated from a checker";
      case USER -> "at line " + r.line();
    };
  }

  private ConfigurationError error(int line, int column, String message, String suggestion) {
    return new ConfigurationError(file, line, column, PATH, message, suggestion);
  }

  /** The predefined rules of a file in this bundle; a mistake there is Bulwark's bug. */
  private static List<Rule> embedded(String name, Parser.Options options) {
    String text;
    try (InputStream in = FailoverRules.class.getResourceAsStream("internal/" + name)) {
      if (in == null) {
        throw new IllegalStateException("embedded rules " + name + " missing from the bundle");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Parser.Result r = Parser.parse(SourceMap.whole(EMBEDDED + name, text), options);
    if (!r.problems().isEmpty()) {
      RuleProblem p = r.problems().get(0);
      throw new IllegalStateException(
          "embedded rules " + name + " at offset " + p.offset() + ": " + p.getMessage());
    }
    return r.rules();
  }

  @Override
  public String toString() {
    return (mirror ? "mirror" : "farm") + " rules of " + file.toLowerCase(Locale.ROOT);
  }
}
