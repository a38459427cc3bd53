package org.bulwark.config.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.Check;
import org.bulwark.api.config.Failover;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.api.config.User;
import org.bulwark.api.config.Vhost;
import org.bulwark.config.internal.xml.XmlElement;

/**
 * Builds {@link ModuleConfig} from a structurally valid {@code <safe>} tree and checks the rules
 * that tie its parts together (spec B.3, B.8, B.9, B.19, and the mode rules: a farm has no heart or
 * rfs, a mirror no farm).
 */
final class ModuleBuilder {

  private final BuildContext ctx;

  ModuleBuilder(BuildContext ctx) {
    this.ctx = ctx;
  }

  ModuleConfig build(XmlElement root, ModuleContext context) {
    XmlElement service = root.child("service");
    if (service == null) {
      return null;
    }
    ServiceConfig serviceConfig = service(ctx.fields(service));
    XmlElement heart = service.child("heart");
    XmlElement farm = service.child("farm");
    modeRules(service, heart, farm);
    TopologyBuilder topology = new TopologyBuilder(ctx);
    XmlElement user = service.child("user");
    XmlElement errd = service.child("errd");
    if (errd != null && user == null) {
      ctx.problems.at(errd, "<errd> requires <user>: without it no module script runs");
    }
    XmlElement check = service.child("check");
    XmlElement rfs = service.child("rfs");
    ModuleConfig config =
        new ModuleConfig(
            context.moduleName(),
            context.moduleId(),
            ctx.macros.definitions(),
            serviceConfig,
            Optional.ofNullable(heart).map(h -> topology.heart(h, rfs != null)),
            Optional.ofNullable(farm).map(topology::farm),
            Optional.ofNullable(service.child("vip")).map(v -> new VipBuilder(ctx, context).vip(v)),
            Optional.ofNullable(rfs).map(r -> new RfsBuilder(ctx).rfs(r)),
            Optional.ofNullable(user).map(this::user),
            Optional.ofNullable(service.child("vhost")).map(this::vhost),
            Optional.ofNullable(errd).map(e -> new ErrdBuilder(ctx).errd(e)),
            check == null ? Check.NONE : new CheckBuilder(ctx, context.host()).check(check),
            Optional.ofNullable(service.child("failover")).map(this::failover));
    return config;
  }

  private ServiceConfig service(Fields f) {
    if (!ctx.mirror()) {
      for (String mirrorOnly : List.of("failover", "defaultprim")) {
        if (f.has(mirrorOnly)) {
          ctx.problems.at(
              f.attribute(mirrorOnly),
              "attribute '" + mirrorOnly + "' of <service> is for mirror modules only");
        }
      }
    }
    String defaultPrim = f.text("defaultprim");
    if (!defaultPrim.equals(ServiceConfig.ALONE) && !defaultPrim.equals(ServiceConfig.LASTPRIM)) {
      ctx.checkNode(f, "defaultprim");
    }
    return new ServiceConfig(
        ctx.mode,
        f.choice("boot", ServiceConfig.Boot.class, ServiceConfig.Boot.IGNORE),
        f.time("boot_delay"),
        f.flag("failover"),
        defaultPrim,
        f.integer("maxloop"),
        f.time("loop_interval"),
        f.flag("automatic_reboot"));
  }

  private void modeRules(XmlElement service, XmlElement heart, XmlElement farm) {
    switch (ctx.mode) {
      case MIRROR -> {
        if (heart == null && !ctx.problems.wasMisspelt(service, "heart")) {
          ctx.problems.at(service, "a mirror module needs <heart>: its heartbeats");
        }
        if (farm != null) {
          ctx.modeOnly(farm, "<farm>", "farm");
        }
      }
      case FARM -> {
        if (farm == null && !ctx.problems.wasMisspelt(service, "farm")) {
          ctx.problems.at(service, "a farm module needs <farm>: its membership lans");
        }
        notHere(heart, "<heart>", "mirror");
        notHere(service.child("rfs"), "<rfs>", "mirror");
      }
      case LIGHT -> {
        notHere(heart, "<heart>", "mirror");
        notHere(farm, "<farm>", "farm");
        notHere(service.child("rfs"), "<rfs>", "mirror");
      }
    }
  }

  private void notHere(XmlElement element, String what, String modes) {
    if (element != null) {
      ctx.modeOnly(element, what, modes);
    }
  }

  private User user(XmlElement element) {
    Fields f = ctx.fields(element);
    BuildContext.Unique names = new BuildContext.Unique(ctx.problems, "variable");
    List<User.Var> vars = new ArrayList<>();
    for (XmlElement var : element.children("var")) {
      Fields v = ctx.fields(var);
      if (v.has("name") && !v.text("name").matches("[A-Za-z_][A-Za-z0-9_]*")) {
        ctx.problems.at(
            v.attribute("name"),
            "invalid variable name '"
                + v.text("name")
                + "'; expected letters, digits and _, not starting with a digit");
      } else if (v.has("name")) {
        names.add(v.text("name"), v.attribute("name"));
      }
      vars.add(new User.Var(v.text("name"), v.text("value")));
    }
    return new User(
        f.time("nicestoptimeout"),
        f.time("forcestoptimeout"),
        f.text("logging").equals("userlog"),
        f.integer("userlogsize"),
        vars);
  }

  private Vhost vhost(XmlElement element) {
    List<Vhost.VirtualHostName> names = new ArrayList<>();
    for (XmlElement name : element.children("virtualhostname")) {
      Fields f = ctx.fields(name);
      names.add(
          new Vhost.VirtualHostName(
              f.text("name"),
              f.text("envfile"),
              f.choice("when", Check.When.class, Check.When.PRIM)));
    }
    return new Vhost(names);
  }

  private Failover failover(XmlElement element) {
    Fields f = ctx.fields(element);
    Duration period = f.time("period");
    Duration handle = f.time("handle_time");
    if (f.has("period") && period.isZero()) {
      ctx.problems.at(f.attribute("period"), "period must be greater than 0");
    } else if (!period.isZero() && handle.toMillis() % period.toMillis() != 0) {
      ctx.problems.at(
          f.has("handle_time") ? f.attribute("handle_time") : f.attribute("period"),
          "handle_time ("
              + handle.toMillis()
              + " ms) must be a multiple of period ("
              + period.toMillis()
              + " ms)");
    }
    List<Failover.RuleSection> sections = new ArrayList<>();
    for (XmlElement.TextBlock text : element.texts()) {
      if (!text.text().isBlank()) {
        String rules = ctx.macros.expandText(text.text());
        sections.add(
            new Failover.RuleSection(
                rules, text.line(), text.column(), rules.strip().startsWith("--Lua Rules")));
      }
    }
    return new Failover(f.text("extends").equals("yes"), period, handle, sections, element.line());
  }
}
