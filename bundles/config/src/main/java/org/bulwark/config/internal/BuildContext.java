package org.bulwark.config.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.config.internal.schema.ElementType;
import org.bulwark.config.internal.xml.XmlAttribute;
import org.bulwark.config.internal.xml.XmlElement;

/** What the builders of one file share: element types, problems, mode, cluster, macros. */
final class BuildContext {

  final Problems problems;
  final ServiceConfig.Mode mode;
  final Optional<ClusterConfig> cluster;
  final Macros macros;
  final LegacySyntax legacy;
  private final Map<XmlElement, ElementType> types;

  BuildContext(
      Map<XmlElement, ElementType> types,
      Problems problems,
      ServiceConfig.Mode mode,
      Optional<ClusterConfig> cluster,
      Macros macros) {
    this.types = types;
    this.problems = problems;
    this.mode = mode;
    this.cluster = cluster;
    this.macros = macros;
    this.legacy = new LegacySyntax(problems);
  }

  Fields fields(XmlElement element) {
    return new Fields(element, types.get(element), problems);
  }

  boolean mirror() {
    return mode == ServiceConfig.Mode.MIRROR;
  }

  /** Reports a second use of the same key among sibling definitions. */
  static final class Unique {
    private final Map<String, XmlAttribute> seen = new HashMap<>();
    private final Problems problems;
    private final String what;

    Unique(Problems problems, String what) {
      this.problems = problems;
      this.what = what;
    }

    /** Returns false and reports when {@code key} was seen already. */
    boolean add(String key, XmlAttribute where) {
      XmlAttribute first = seen.putIfAbsent(key, where);
      if (first != null && where != null) {
        problems.at(
            where, "duplicate " + what + " '" + key + "' (first at line " + first.line() + ")");
        return false;
      }
      return true;
    }
  }

  /** Checks that {@code name} is a lan of the cluster, when the cluster is known. */
  void checkLan(Fields fields, String attribute) {
    if (cluster.isEmpty() || !fields.has(attribute)) {
      return;
    }
    String name = fields.text(attribute);
    if (cluster.get().lan(name).isEmpty()) {
      List<String> lans = cluster.get().lans().stream().map(lan -> lan.name()).toList();
      problems.at(
          fields.attribute(attribute),
          "lan '"
              + name
              + "' is not defined in cluster.xml;"
              + " defined lans: "
              + String.join(", ", lans),
          Suggest.didYouMean(name, lans));
    }
  }

  /** Checks that {@code name} is a node of the cluster, when the cluster is known. */
  void checkNode(Fields fields, String attribute) {
    if (cluster.isEmpty() || !fields.has(attribute)) {
      return;
    }
    String name = fields.text(attribute);
    if (!cluster.get().nodeNames().contains(name)) {
      problems.at(
          fields.attribute(attribute),
          "node '"
              + name
              + "' is not defined in "
              + "cluster.xml; defined nodes: "
              + String.join(", ", cluster.get().nodeNames()),
          Suggest.didYouMean(name, cluster.get().nodeNames()));
    }
  }

  /** Checks an address attribute (no DNS resolution). */
  void checkAddress(Fields fields, String attribute) {
    if (fields.has(attribute)) {
      String error = Addresses.check(fields.text(attribute), false);
      if (error != null) {
        problems.at(fields.attribute(attribute), error);
      }
    }
  }

  /** Reports an attribute or element that the module's mode does not allow. */
  void modeOnly(XmlElement element, String what, String modes) {
    problems.at(
        element,
        what
            + " is for "
            + modes
            + " modules only; this module is "
            + mode.name().toLowerCase(java.util.Locale.ROOT));
  }
}
