package org.bulwark.config.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bulwark.api.config.Farm;
import org.bulwark.api.config.Heart;
import org.bulwark.api.config.Node;
import org.bulwark.config.internal.xml.XmlAttribute;
import org.bulwark.config.internal.xml.XmlElement;

/**
 * {@code <heart>} (spec B.4) and {@code <farm>} (spec B.5): the lans a module's nodes talk on,
 * checked against cluster.xml when it is known; a mirror runs on exactly two nodes.
 */
final class TopologyBuilder {

  private final BuildContext ctx;

  TopologyBuilder(BuildContext ctx) {
    this.ctx = ctx;
  }

  Heart heart(XmlElement element, boolean hasRfs) {
    Fields f = ctx.fields(element);
    Duration pulse = f.time("pulse");
    Duration timeout = f.time("timeout");
    checkTimeout(f, "timeout", pulse, timeout);
    BuildContext.Unique names = new BuildContext.Unique(ctx.problems, "heartbeat lan");
    BuildContext.Unique idents = new BuildContext.Unique(ctx.problems, "heartbeat ident");
    List<Heart.Heartbeat> heartbeats = new ArrayList<>();
    List<String> lans = new ArrayList<>();
    for (XmlElement heartbeat : element.children("heartbeat")) {
      Fields h = ctx.fields(heartbeat);
      List<String> servers =
          ctx.legacy.children(ctx, h, "server").stream().map(s -> s.text("addr")).toList();
      String name = h.text("name");
      String ident = h.optional("ident").orElse(servers.isEmpty() ? name : servers.get(0));
      if (h.attribute("name") != null) {
        names.add(name, h.attribute("name"));
      }
      idents.add(ident, h.has("ident") ? h.attribute("ident") : h.attribute("name"));
      if (ctx.mirror() && !servers.isEmpty() && servers.size() != 2) {
        ctx.problems.at(
            heartbeat,
            "a heartbeat in the syntax of before 7.2 lists the "
                + "addresses of the two nodes; found "
                + servers.size());
      }
      ctx.checkLan(h, "name");
      if (h.has("name")) {
        lans.add(name);
      }
      Duration ownPulse = h.time("pulse", pulse);
      Duration ownTimeout = h.time("timeout", timeout);
      if (h.has("pulse") || h.has("timeout")) {
        checkTimeout(h, h.has("timeout") ? "timeout" : "pulse", ownPulse, ownTimeout);
      }
      if ("flow".equals(ident) && !hasRfs && h.has("ident")) {
        ctx.problems.at(
            h.attribute("ident"),
            "ident 'flow' carries the replication flow but "
                + "the module has no <rfs>; the module would wait forever");
      }
      heartbeats.add(new Heart.Heartbeat(name, ident, ownPulse, ownTimeout, servers));
    }
    checkTwoNodes(element, lans);
    return new Heart(f.optionalInt("port"), pulse, timeout, f.flag("permanent_arp"), heartbeats);
  }

  Farm farm(XmlElement element) {
    Fields f = ctx.fields(element);
    BuildContext.Unique names = new BuildContext.Unique(ctx.problems, "farm lan");
    List<Farm.Lan> lans = new ArrayList<>();
    List<XmlElement> lanElements = element.children("lan");
    for (XmlElement lan : lanElements) {
      Fields l = ctx.fields(lan);
      List<Node> nodes = new ArrayList<>();
      BuildContext.Unique nodeNames =
          new BuildContext.Unique(ctx.problems, "node name on this lan");
      BuildContext.Unique nodeAddrs =
          new BuildContext.Unique(ctx.problems, "node address on this lan");
      for (Fields node : ctx.legacy.children(ctx, l, "node")) {
        nodes.add(new Node(node.text("name"), node.text("addr"), Optional.empty()));
        if (node.has("name")) {
          nodeNames.add(node.text("name"), node.attribute("name"));
        } else if (lanElements.size() > 1) {
          // before 7.2 the lans list addresses: a name tells which addresses are one node
          ctx.problems.at(
              node.element(),
              "missing attribute 'name' on <node>: with several <lan>s in <farm>, each node is"
                  + " named so that its addresses on the lans are known to be one node",
              "add name=\"<node name>\", the same on every <lan>");
        }
        if (node.has("addr")) {
          nodeAddrs.add(node.text("addr"), node.attribute("addr"));
        }
      }
      if (l.attribute("name") != null) {
        names.add(l.text("name"), l.attribute("name"));
      }
      ctx.checkLan(l, "name");
      lans.add(new Farm.Lan(l.text("name"), nodes));
    }
    return new Farm(
        f.optionalInt("port"),
        f.time("pulse"),
        f.integer("mlost_count"),
        f.integer("slost_count"),
        lans);
  }

  private void checkTimeout(Fields f, String attribute, Duration pulse, Duration timeout) {
    if (timeout.compareTo(pulse) <= 0
        && f.attribute(attribute) != null
        && !ctx.problems.isInvalid(f.attribute(attribute))) {
      ctx.problems.at(
          f.attribute(attribute),
          "timeout ("
              + timeout.toMillis()
              + " ms) must be greater than pulse ("
              + pulse.toMillis()
              + " ms)");
    }
  }

  /** Spec B.3: a mirror module has exactly two nodes, those of its heartbeat lans. */
  private void checkTwoNodes(XmlElement heart, List<String> lans) {
    if (ctx.cluster.isEmpty() || !ctx.mirror()) {
      return;
    }
    Set<String> nodes = new LinkedHashSet<>();
    for (String lan : lans) {
      ctx.cluster.get().lan(lan).ifPresent(l -> l.nodes().forEach(n -> nodes.add(n.name())));
    }
    if (!nodes.isEmpty() && nodes.size() != 2) {
      XmlAttribute first = heart.children("heartbeat").get(0).attribute("name");
      ctx.problems.at(
          first,
          "a mirror module runs on exactly two nodes; its heartbeat lans "
              + "hold "
              + nodes.size()
              + ": "
              + String.join(", ", nodes));
    }
  }
}
