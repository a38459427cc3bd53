package org.bulwark.failover.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.config.ConfigurationError;

/**
 * Puts a module's rules together, in evaluation order: the embedded predefined rules, the checkers'
 * generated rules, the administrator's sections, and last the machine's own {@code
 * Implicit_wakeup}. Merging rules (spec B.19):
 *
 * <ul>
 *   <li>{@code Rules.disable("label")} removes a default or generated rule (else a user rule of
 *       that label); an internal rule is never removed;
 *   <li>a user rule whose label is a default or generated rule's takes its place;
 *   <li>any other label given twice is a mistake, reported where the second one is written.
 * </ul>
 */
public final class RuleAssembly {

  /** A {@code <failover>} section: its text and the position of its first non-blank character. */
  public record Section(String text, int line, int column) {}

  private static final String EMBEDDED = "bulwark:";

  private final String file;
  private final String path;
  private final boolean mirror;
  private final List<Rule> rules = new ArrayList<>();
  private final List<Rule> machine;
  private final List<ConfigurationError> errors = new ArrayList<>();

  /**
   * @param file the file errors name ({@code userconfig.xml})
   * @param path the element errors name ({@code /safe/service/failover})
   * @param mirror whether {@code remote.} resources exist
   */
  public RuleAssembly(String file, String path, boolean mirror) {
    this.file = file;
    this.path = path;
    this.mirror = mirror;
    this.machine = load("machine.rules", Rule.Origin.INTERNAL);
  }

  /** Adds the rules of an embedded file ({@code default.rules}, {@code mirror.rules} …). */
  public void embedded(String name, Rule.Origin origin) {
    rules.addAll(load(name, origin));
  }

  /**
   * Adds a checker's generated rule (spec B.11): {@code label: if (resource == down) then
   * action();}, written and read in the rules language like every other rule.
   */
  public void generated(String label, String resource, String action, String checkerPath) {
    String text = label + ": if (" + resource + " == down) then " + action + "();";
    Parser.Result r =
        Parser.parse(
            SourceMap.whole(file, text), new Parser.Options(mirror, false, Rule.Origin.GENERATED));
    if (r.problems().isEmpty()) {
      rules.addAll(r.rules());
    } else {
      errors.add(
          new ConfigurationError(
              file,
              1,
              1,
              checkerPath,
              "the checker's ident cannot name a resource in rule "
                  + label
                  + ": "
                  + r.problems().get(0).getMessage(),
              null));
    }
  }

  /** Reads the administrator's sections, both forms, and merges them (see the class comment). */
  public void sections(List<Section> sections) {
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
        error(map.line(p.offset()), map.column(p.offset()), p.getMessage(), p.suggestion());
      }
    }
    // every section is read before the disables, and those before the merge: a rule removed
    // with Rules.disable may be replaced by one of the same label, in any section
    for (int i = 0; i < disabled.size(); i++) {
      disable(disabled.get(i), disabledIn.get(i), users);
    }
    merge(users);
  }

  private void merge(List<Rule> users) {
    Map<String, Rule> byLabel = new HashMap<>();
    rules.forEach(r -> byLabel.put(r.label(), r));
    machine.forEach(r -> byLabel.put(r.label(), r));
    for (Rule r : users) {
      Rule before = byLabel.put(r.label(), r);
      if (before == null) {
        rules.add(r);
      } else if (before.origin() == Rule.Origin.DEFAULT
          || before.origin() == Rule.Origin.GENERATED) {
        // a <ping ident="gw"> and a user rule p_gw: the user's is applied
        rules.set(rules.indexOf(before), r);
      } else {
        byLabel.put(before.label(), before);
        error(
            r.line(),
            r.column(),
            "rule " + r.label() + " is already defined (" + describe(before) + ")",
            null);
      }
    }
  }

  private void disable(LuaRules.Disable d, SourceMap map, List<Rule> users) {
    int line = map.line(d.offset());
    int column = map.column(d.offset());
    Optional<Rule> target =
        rules.stream()
            .filter(r -> r.label().equals(d.label()))
            .findFirst()
            .or(() -> machine.stream().filter(r -> r.label().equals(d.label())).findFirst());
    if (target.isPresent() && target.get().origin() == Rule.Origin.INTERNAL) {
      error(
          line,
          column,
          "Rules.disable: "
              + d.label()
              + " is an internal rule of the failover machine and cannot be removed (spec B.19)",
          null);
    } else if (target.isPresent()) {
      rules.remove(target.get());
    } else if (!users.removeIf(r -> r.label().equals(d.label()))) {
      List<String> labels = new ArrayList<>();
      rules.forEach(r -> labels.add(r.label()));
      users.forEach(r -> labels.add(r.label()));
      error(
          line,
          column,
          "Rules.disable: no rule is named " + d.label(),
          Vocabulary.suggest(d.label(), labels));
    }
  }

  private static String describe(Rule r) {
    return switch (r.origin()) {
      case DEFAULT -> "a default rule";
      case INTERNAL -> "an internal rule";
      case GENERATED -> "generated from a checker";
      case USER -> "at line " + r.line();
    };
  }

  /** Records a mistake of the administrator's text. */
  public void error(int line, int column, String message, String suggestion) {
    errors.add(new ConfigurationError(file, line, column, path, message, suggestion));
  }

  /** Every rule, the machine's last. */
  public List<Rule> rules() {
    List<Rule> all = new ArrayList<>(rules);
    all.addAll(machine);
    return all;
  }

  public List<ConfigurationError> errors() {
    return List.copyOf(errors);
  }

  /** The rules of an embedded file; a mistake there is Bulwark's bug, not the user's. */
  private List<Rule> load(String name, Rule.Origin origin) {
    String text;
    try (InputStream in = RuleAssembly.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("embedded rules " + name + " missing from the bundle");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Parser.Options options = new Parser.Options(mirror, origin == Rule.Origin.INTERNAL, origin);
    Parser.Result r = Parser.parse(SourceMap.whole(EMBEDDED + name, text), options);
    if (!r.problems().isEmpty()) {
      RuleProblem p = r.problems().get(0);
      throw new IllegalStateException(
          "embedded rules " + name + " at offset " + p.offset() + ": " + p.getMessage());
    }
    return r.rules();
  }
}
