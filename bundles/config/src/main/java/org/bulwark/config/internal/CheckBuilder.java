package org.bulwark.config.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bulwark.api.config.Check;
import org.bulwark.api.config.Check.Action;
import org.bulwark.api.config.Check.When;
import org.bulwark.api.config.HostNetwork;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.config.internal.xml.XmlElement;

/**
 * {@code <check>} and its checkers (spec B.11–B.18): idents unique per class, {@code when} suited
 * to the mode (prim/second for mirror, both for farm), tcp actions suited to {@code when} (spec
 * B.12), splitbrain for mirror only.
 */
final class CheckBuilder {

  private static final Set<Action> WHEN_PRE = EnumSet.of(Action.WAIT, Action.NOACTION);
  private static final Set<Action> WHEN_RUNNING =
      EnumSet.of(Action.STOP, Action.STOPSTART, Action.RESTART, Action.NOACTION);

  private final BuildContext ctx;
  // this node, when the configuration is applied here: an <intf> must name one of its addresses
  private final Optional<HostNetwork> host;

  CheckBuilder(BuildContext ctx, Optional<HostNetwork> host) {
    this.ctx = ctx;
    this.host = host;
  }

  Check check(XmlElement element) {
    List<Check.Tcp> tcp = new ArrayList<>();
    List<Check.Ping> ping = new ArrayList<>();
    List<Check.Intf> intf = new ArrayList<>();
    List<Check.Ip> ip = new ArrayList<>();
    List<Check.Custom> custom = new ArrayList<>();
    List<Check.Module> module = new ArrayList<>();
    Optional<Check.SplitBrain> splitbrain = Optional.empty();
    for (String kind : List.of("tcp", "ping", "intf", "ip", "custom", "module")) {
      BuildContext.Unique idents = new BuildContext.Unique(ctx.problems, kind + " ident");
      for (XmlElement checker : element.children(kind)) {
        Fields f = ctx.fields(checker);
        if (f.has("ident")) {
          idents.add(f.text("ident"), f.attribute("ident"));
        }
        switch (kind) {
          case "tcp" -> tcp.add(tcp(f));
          case "ping" -> ping.add(ping(f));
          case "intf" -> intf.add(intf(checker, f));
          case "ip" -> ip.add(ip(f));
          case "custom" ->
              custom.add(
                  new Check.Custom(
                      f.text("ident"),
                      when(f, When.PRE),
                      f.text("exec"),
                      f.optional("arg"),
                      action(f)));
          default -> module.add(module(f));
        }
      }
    }
    XmlElement split = element.child("splitbrain");
    if (split != null) {
      splitbrain = Optional.of(splitbrain(ctx.fields(split)));
    }
    return new Check(tcp, ping, intf, ip, custom, module, splitbrain);
  }

  /** {@code <intf>}: on a node, its {@code local_addr} must be an address of this node. */
  private Check.Intf intf(XmlElement checker, Fields f) {
    Optional<Fields> to = to(checker);
    if (host.isPresent() && to.isPresent() && to.get().has("local_addr")) {
      Fields t = to.get();
      if (!ctx.problems.isInvalid(t.attribute("local_addr"))) {
        host.get()
            .localAddressProblem(t.text("local_addr"))
            .ifPresent(problem -> ctx.problems.at(t.attribute("local_addr"), problem));
      }
    }
    return new Check.Intf(f.text("ident"), When.PRE, to.map(t -> t.text("local_addr")).orElse(""));
  }

  private Check.Tcp tcp(Fields f) {
    When when = when(f, When.PRE);
    Action action = action(f);
    if (f.has("when") && !(f.has("action") && ctx.problems.isInvalid(f.attribute("action")))) {
      Set<Action> allowed = when == When.PRE ? WHEN_PRE : WHEN_RUNNING;
      if (!allowed.contains(action)) {
        String text = action.name().toLowerCase(Locale.ROOT);
        ctx.problems.at(
            f.attribute(f.has("action") ? "action" : "when"),
            "action '"
                + text
                + "' is not allowed with when=\""
                + f.text("when")
                + "\"; expected one of: "
                + names(allowed),
            when == When.PRE ? "use action=\"wait\"" : null);
      }
    }
    Optional<Fields> to = to(f.element());
    to.ifPresent(t -> ctx.checkAddress(t, "addr"));
    return new Check.Tcp(
        f.text("ident"),
        when,
        action,
        to.map(t -> t.text("addr")).orElse(""),
        to.map(t -> t.integer("port")).orElse(0),
        to.map(t -> t.time("interval")).orElse(java.time.Duration.ZERO),
        to.map(t -> t.time("timeout")).orElse(java.time.Duration.ZERO));
  }

  private Check.Ping ping(Fields f) {
    List<Check.PingTarget> targets = new ArrayList<>();
    for (XmlElement to : f.element().children("to")) {
      Fields t = ctx.fields(to);
      ctx.checkAddress(t, "addr");
      targets.add(new Check.PingTarget(t.text("addr"), t.time("interval"), t.time("timeout")));
    }
    return new Check.Ping(f.text("ident"), when(f, When.PRE), action(f), targets);
  }

  private Check.Ip ip(Fields f) {
    When fallback = ctx.mirror() ? When.PRIM : When.BOTH;
    Optional<Fields> to = to(f.element());
    to.ifPresent(t -> ctx.checkAddress(t, "addr"));
    return new Check.Ip(
        f.text("ident"),
        when(f, fallback),
        to.map(t -> t.text("addr")).orElse(""),
        to.map(t -> t.time("interval")).orElse(java.time.Duration.ZERO));
  }

  private Check.Module module(Fields f) {
    Optional<Fields> to = to(f.element());
    String addr = to.map(t -> t.text("addr")).orElse("127.0.0.1");
    to.ifPresent(t -> ctx.checkAddress(t, "addr"));
    String ident = f.optional("ident").orElse(f.text("name") + "_" + addr);
    return new Check.Module(
        ident,
        f.text("name"),
        addr,
        to.map(t -> t.integer("port")).orElse(9010),
        to.map(t -> t.time("interval")).orElse(java.time.Duration.ofSeconds(10)),
        to.map(t -> t.time("timeout")).orElse(java.time.Duration.ofSeconds(5)),
        to.map(t -> t.flag("secure")).orElse(false));
  }

  private Check.SplitBrain splitbrain(Fields f) {
    if (!ctx.mirror()) {
      ctx.modeOnly(f.element(), "<splitbrain>", "mirror");
    }
    List<String> witnesses =
        Arrays.stream(f.text("arg").trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    if (f.has("arg")) {
      for (String witness : witnesses) {
        String error = Addresses.check(witness, false);
        if (error != null) {
          ctx.problems.at(f.attribute("arg"), "witness " + error);
        }
      }
    }
    return new Check.SplitBrain(f.text("ident"), f.text("exec"), witnesses);
  }

  private When when(Fields f, When fallback) {
    When when = f.choice("when", When.class, fallback);
    if (f.has("when")) {
      boolean mirrorOnly = when == When.PRIM || when == When.SECOND;
      if (mirrorOnly && !ctx.mirror() && !f.element().name().equals("ip")) {
        ctx.problems.at(
            f.attribute("when"),
            "when=\""
                + f.text("when")
                + "\" is for mirror "
                + "modules; a "
                + mode()
                + " module uses pre or both",
            "did you mean 'both'?");
      } else if (when == When.BOTH && ctx.mirror()) {
        ctx.problems.at(
            f.attribute("when"),
            "when=\"both\" is for farm modules; a mirror " + "module uses pre, prim or second",
            "did you mean 'prim'?");
      }
    }
    return when;
  }

  private Action action(Fields f) {
    return f.choice("action", Action.class, Action.NOACTION);
  }

  private Optional<Fields> to(XmlElement checker) {
    XmlElement to = checker.child("to");
    return to == null ? Optional.empty() : Optional.of(ctx.fields(to));
  }

  private String mode() {
    return ctx.mode == ServiceConfig.Mode.LIGHT ? "light" : "farm";
  }

  private static String names(Set<Action> actions) {
    return String.join(", ", actions.stream().map(a -> a.name().toLowerCase(Locale.ROOT)).toList());
  }
}
