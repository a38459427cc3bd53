package org.bulwark.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bulwark.api.config.HostNetwork;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.api.config.Vip;
import org.bulwark.config.internal.xml.XmlElement;

/**
 * {@code <vip>} (spec B.6). Farm modules use {@code <virtual_interface>} with {@code where="alias"}
 * and may balance load; mirror modules put the address on the primary only. With the node's network
 * in the context ({@code safekit config}), interfaces are checked to exist here and a mirror's
 * addresses not to be in use here by anything but the module (spec B.6).
 */
final class VipBuilder {

  private final BuildContext ctx;
  private final String module;
  private final Optional<HostNetwork> host;
  private final Set<String> addresses = new LinkedHashSet<>();

  VipBuilder(BuildContext ctx, ModuleContext context) {
    this.ctx = ctx;
    this.module = context.moduleName();
    this.host = context.host();
  }

  Vip vip(XmlElement element) {
    Fields f = ctx.fields(element);
    if (ctx.mirror() && f.has("scriptcontrol")) {
      ctx.problems.at(
          f.attribute("scriptcontrol"),
          "attribute 'scriptcontrol' of <vip> is for " + "farm modules only");
    }
    BuildContext.Unique unique = new BuildContext.Unique(ctx.problems, "virtual address");
    List<Vip.Interface> interfaces = new ArrayList<>();
    XmlElement list = element.child("interface_list");
    if (list != null) {
      for (XmlElement i : list.children("interface")) {
        interfaces.add(iface(i, unique));
      }
    }
    List<Vip.Group> groups = new ArrayList<>();
    XmlElement balancing = element.child("loadbalancing_list");
    if (balancing != null && !ctx.mirror() && ctx.mode.name().equals("FARM")) {
      BuildContext.Unique names = new BuildContext.Unique(ctx.problems, "group name");
      for (XmlElement group : balancing.children("group")) {
        groups.add(group(group, names));
      }
    } else if (balancing != null) {
      ctx.modeOnly(balancing, "<loadbalancing_list>", "farm");
    }
    return new Vip(f.flag("tcpreset"), f.flag("scriptcontrol"), interfaces, groups);
  }

  private Vip.Interface iface(XmlElement element, BuildContext.Unique unique) {
    Fields f = ctx.fields(element);
    XmlElement virtual = element.child("virtual_interface");
    XmlElement real = element.child("real_interface");
    if (virtual == null && real == null) {
      ctx.problems.at(element, "<interface> needs a <virtual_interface> or a <real_interface>");
    } else if (virtual != null && real != null) {
      ctx.problems.at(
          real, "<interface> takes a <virtual_interface> or a <real_interface>, " + "not both");
    } else if (real != null && !ctx.mirror()) {
      ctx.problems.at(
          real,
          "<real_interface> is for mirror modules; a "
              + ctx.mode.name().toLowerCase(java.util.Locale.ROOT)
              + " module uses <virtual_interface>");
    }
    Optional<String> name = f.optional("name");
    if (host.isPresent() && name.isPresent() && !ctx.problems.isInvalid(f.attribute("name"))) {
      host.get()
          .interfaceProblem(name.get())
          .ifPresent(problem -> ctx.problems.at(f.attribute("name"), problem));
    }
    XmlElement holder = virtual != null ? virtual : real;
    List<Vip.Address> list = new ArrayList<>();
    Fields v = holder == null ? null : ctx.fields(holder);
    if (holder != null) {
      for (XmlElement addr : holder.children("virtual_addr")) {
        list.add(address(ctx.fields(addr), unique, name));
      }
    }
    boolean isVirtual = virtual != null;
    return new Vip.Interface(
        f.flag("check"),
        f.flag("arpreroute"),
        f.time("arpinterval"),
        f.time("arpelapse"),
        name,
        isVirtual,
        isVirtual
            ? java.util.Optional.of(
                v.choice("type", Vip.VmacType.class, Vip.VmacType.VMAC_DIRECTED))
            : java.util.Optional.empty(),
        isVirtual ? v.optional("addr") : java.util.Optional.empty(),
        list);
  }

  private Vip.Address address(Fields a, BuildContext.Unique unique, Optional<String> device) {
    ctx.checkAddress(a, "addr");
    if (a.has("addr") && unique.add(a.text("addr"), a.attribute("addr"))) {
      addresses.add(a.text("addr"));
      if (host.isPresent() && ctx.mirror() && !ctx.problems.isInvalid(a.attribute("addr"))) {
        // on this node, before anything is applied (spec B.6: the VIP must be free here)
        host.get()
            .addressProblem(module, a.text("addr"), device)
            .ifPresent(problem -> ctx.problems.at(a.attribute("addr"), problem));
      }
    }
    Vip.Where fallback = ctx.mirror() ? Vip.Where.ONE_SIDE_ALIAS : Vip.Where.ALIAS;
    Vip.Where where = a.choice("where", Vip.Where.class, fallback);
    if (a.has("where") && ctx.mirror() && where == Vip.Where.ALIAS) {
      ctx.problems.at(
          a.attribute("where"),
          "where=\"alias\" puts the address on every node; a "
              + "mirror module uses one_side_alias or one_side",
          "did you mean 'one_side_alias'?");
    } else if (a.has("where") && !ctx.mirror() && where != Vip.Where.ALIAS) {
      ctx.problems.at(
          a.attribute("where"),
          "where=\""
              + a.text("where")
              + "\" is for mirror modules; a "
              + ctx.mode.name().toLowerCase(java.util.Locale.ROOT)
              + " module uses alias");
    }
    if (a.has("netmask")
        && !Addresses.isIpv4(a.text("netmask"))
        && !a.text("netmask").matches("[0-9]|[12][0-9]|3[0-2]")) {
      ctx.problems.at(
          a.attribute("netmask"),
          "invalid netmask '"
              + a.text("netmask")
              + "'; expected a dotted IPv4 mask such as 255.255.255.0");
    }
    return new Vip.Address(
        a.text("addr"), where, a.flag("check"), a.flag("connections"), a.optional("netmask"));
  }

  private Vip.Group group(XmlElement element, BuildContext.Unique names) {
    Fields g = ctx.fields(element);
    names.add(g.text("name"), g.attribute("name"));
    List<Vip.Host> hosts = new ArrayList<>();
    XmlElement cluster = element.child("cluster");
    if (cluster != null) {
      BuildContext.Unique hostNames = new BuildContext.Unique(ctx.problems, "host");
      for (XmlElement host : cluster.children("host")) {
        Fields h = ctx.fields(host);
        hostNames.add(h.text("name"), h.attribute("name"));
        ctx.checkNode(h, "name");
        hosts.add(new Vip.Host(h.text("name"), h.integer("power")));
      }
    }
    List<Vip.Rule> rules = new ArrayList<>();
    for (XmlElement rule : element.children("rule")) {
      rules.add(rule(ctx.fields(rule)));
    }
    return new Vip.Group(g.text("name"), hosts, rules);
  }

  private Vip.Rule rule(Fields r) {
    String virtualAddr = r.text("virtual_addr");
    if (r.has("virtual_addr") && !virtualAddr.equals("*") && !addresses.contains(virtualAddr)) {
      ctx.problems.at(
          r.attribute("virtual_addr"),
          "'"
              + virtualAddr
              + "' is not a virtual "
              + "address of this module; expected * or one of: "
              + String.join(", ", addresses),
          Suggest.didYouMean(virtualAddr, addresses));
    }
    String port = r.text("port");
    if (r.has("port") && !port.equals("*")) {
      long number = port.length() > 6 ? 0 : Long.parseLong(port);
      if (number < 1 || number > 65535) {
        ctx.problems.at(
            r.attribute("port"),
            "invalid value '"
                + port
                + "' for attribute 'port' "
                + "of <rule>; expected * or an integer between 1 and 65535");
      }
    }
    Vip.Proto proto = r.choice("proto", Vip.Proto.class, Vip.Proto.TCP);
    Vip.Filter filter = r.choice("filter", Vip.Filter.class, Vip.Filter.ON_ADDR);
    if (proto == Vip.Proto.ARP && filter != Vip.Filter.ON_ADDR && r.has("filter")) {
      ctx.problems.at(r.attribute("filter"), "proto=\"arp\" works only with filter=\"on_addr\"");
    }
    return new Vip.Rule(virtualAddr, port, proto, filter);
  }
}
