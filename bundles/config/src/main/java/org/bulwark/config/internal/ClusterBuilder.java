package org.bulwark.config.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.Node;
import org.bulwark.config.internal.schema.ElementType;
import org.bulwark.config.internal.xml.XmlAttribute;
import org.bulwark.config.internal.xml.XmlElement;

/**
 * Builds {@link ClusterConfig} and checks spec A.2's rules: unique lan names, node names unique per
 * lan, a server keeping one name on every lan, at least two nodes, at most one command lan and it
 * holding every node, at least one lan holding every node, addresses that parse.
 */
final class ClusterBuilder {

  private final Map<XmlElement, ElementType> types;
  private final Problems problems;

  ClusterBuilder(Map<XmlElement, ElementType> types, Problems problems) {
    this.types = types;
    this.problems = problems;
  }

  ClusterConfig build(XmlElement root) {
    XmlElement lansElement = root.child("lans");
    if (lansElement == null || !types.containsKey(lansElement)) {
      return null;
    }
    Fields lans = new Fields(lansElement, types.get(lansElement), problems);
    BuildContext.Unique lanNames = new BuildContext.Unique(problems, "lan name");
    Map<String, String> nameOfAddress = new HashMap<>();
    List<Lan> built = new ArrayList<>();
    XmlElement commandLan = null;
    for (XmlElement lanElement : lansElement.children("lan")) {
      Fields lan = new Fields(lanElement, types.get(lanElement), problems);
      lanNames.add(lan.text("name"), lan.attribute("name"));
      boolean command = lan.flag("command");
      if (command && commandLan != null) {
        problems.at(
            lan.attribute("command"),
            "only one lan may have command=\"on\"; lan '"
                + commandLan.attribute("name").value().trim()
                + "' at line "
                + commandLan.line()
                + " already has it");
      } else if (command) {
        commandLan = lanElement;
      }
      built.add(
          new Lan(lan.text("name"), command, nodes(lanElement, lan.text("name"), nameOfAddress)));
    }
    ClusterConfig config =
        new ClusterConfig(
            lans.integer("port"),
            lans.time("pulse"),
            lans.integer("mlost_count"),
            lans.integer("slost_count"),
            built);
    checkMembership(lansElement, config, commandLan);
    return config;
  }

  private List<Node> nodes(
      XmlElement lanElement, String lanName, Map<String, String> nameOfAddress) {
    BuildContext.Unique names = new BuildContext.Unique(problems, "node name");
    BuildContext.Unique addresses = new BuildContext.Unique(problems, "node address");
    List<Node> nodes = new ArrayList<>();
    for (XmlElement nodeElement : lanElement.children("node")) {
      Fields node = new Fields(nodeElement, types.get(nodeElement), problems);
      String name = node.text("name");
      names.add(name, node.attribute("name"));
      for (String attribute : List.of("addr", "laddr")) {
        if (node.has(attribute)) {
          String error = Addresses.check(node.text(attribute), true);
          if (error != null) {
            problems.at(
                node.attribute(attribute),
                error,
                error.contains("brackets") ? "write [" + node.text(attribute) + "]" : null);
          }
        }
      }
      if (node.has("addr") && node.has("name")) {
        String addr = node.text("addr");
        addresses.add(addr, node.attribute("addr"));
        String other = nameOfAddress.putIfAbsent(addr, name);
        if (other != null && !other.equals(name)) {
          XmlAttribute where = node.attribute("name");
          problems.at(
              where,
              "address "
                  + addr
                  + " is node '"
                  + other
                  + "' on another lan but '"
                  + name
                  + "' here; a server keeps the same node name on every lan",
              null);
        }
      }
      nodes.add(new Node(name, node.text("addr"), node.optional("laddr")));
    }
    return nodes;
  }

  private void checkMembership(XmlElement lansElement, ClusterConfig config, XmlElement command) {
    Set<String> all = config.nodeNames();
    if (all.size() < 2 && !config.lans().isEmpty()) {
      problems.at(lansElement, "a cluster needs at least two nodes; found " + all.size());
      return;
    }
    if (command != null) {
      Optional<Lan> lan = config.lans().stream().filter(Lan::command).findFirst();
      Set<String> missing = missing(all, lan.get());
      if (!missing.isEmpty()) {
        problems.at(
            command,
            "the command lan '"
                + lan.get().name()
                + "' must contain every node;"
                + " missing: "
                + String.join(", ", missing));
      }
      return;
    }
    boolean complete = config.lans().stream().anyMatch(lan -> missing(all, lan).isEmpty());
    if (!complete && !config.lans().isEmpty()) {
      problems.at(
          lansElement,
          "no lan contains every node (" + String.join(", ", all) + "); at least one lan must");
    }
  }

  private static Set<String> missing(Set<String> all, Lan lan) {
    Set<String> missing = new LinkedHashSet<>(all);
    lan.nodes().forEach(node -> missing.remove(node.name()));
    return missing;
  }
}
