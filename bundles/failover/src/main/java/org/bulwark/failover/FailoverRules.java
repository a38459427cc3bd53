package org.bulwark.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.Check;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.Failover;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.failover.internal.Rule;
import org.bulwark.failover.internal.RuleAssembly;

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

  private final boolean mirror;
  private String file = "userconfig.xml";
  private boolean extendsDefaults = true;
  private boolean replication;
  private boolean syncdelta;
  private boolean syncat;
  private boolean degradedServer = true;
  private Duration period = Failover.DEFAULT_PERIOD;
  private Duration handleTime = Failover.DEFAULT_HANDLE_TIME;
  private final List<Generated> generated = new ArrayList<>();
  private final List<RuleAssembly.Section> sections = new ArrayList<>();

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

  /**
   * Whether {@code degraded_server} is among the internal rules of replication (default yes, as the
   * module runtime applies it: the peer of a primary whose replication failed waits, spec C.7; see
   * {@code degraded.rules}).
   */
  public FailoverRules degradedServer(boolean apply) {
    this.degradedServer = apply;
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
    sections.add(new RuleAssembly.Section(text, line, column));
    return this;
  }

  /** Compiles every rule; all errors at once. */
  public Compiled compile() {
    RuleAssembly rules = new RuleAssembly(file, PATH, mirror);
    if (period.isZero() || period.isNegative()) {
      rules.error(1, 1, "period must be greater than 0", null);
    } else if (handleTime.toMillis() % period.toMillis() != 0) {
      rules.error(
          1,
          1,
          "handle_time ("
              + handleTime.toMillis()
              + " ms) must be a multiple of period ("
              + period.toMillis()
              + " ms)",
          null);
    }
    // extends="no" drops the default and the generated rules, never the internal ones
    if (extendsDefaults) {
      rules.embedded("default.rules", Rule.Origin.DEFAULT);
    }
    if (mirror && replication) {
      rules.embedded("mirror.rules", Rule.Origin.INTERNAL);
      if (degradedServer) {
        rules.embedded("degraded.rules", Rule.Origin.INTERNAL);
      }
    }
    if (mirror && syncdelta) {
      rules.embedded("syncdelta.rules", Rule.Origin.INTERNAL);
    }
    if (mirror && syncat) {
      rules.embedded("syncat.rules", Rule.Origin.INTERNAL);
    }
    if (extendsDefaults) {
      for (Generated g : generated) {
        rules.generated(g.label(), g.resource(), g.action().word(), g.path());
      }
    }
    rules.sections(sections);
    if (!rules.errors().isEmpty()) {
      return new Compiled(Optional.empty(), rules.errors());
    }
    return new Compiled(Optional.of(new RuleSet(rules.rules(), period, handleTime)), List.of());
  }

  @Override
  public String toString() {
    return (mirror ? "mirror" : "farm") + " rules of " + file;
  }
}
