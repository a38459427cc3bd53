package org.bulwark.config.internal;

import java.util.List;
import org.bulwark.config.internal.schema.AttributeDecl;
import org.bulwark.config.internal.schema.ChildDecl;
import org.bulwark.config.internal.schema.ElementType;
import org.bulwark.config.internal.schema.Schema;

/**
 * Generates docs/configuration.md from the two XSD schemas: every element and attribute, its
 * default, allowed values, implicit time unit and whether it may change while the module runs.
 */
final class ReferenceDoc {

  private final StringBuilder out = new StringBuilder();

  static String generate() {
    ReferenceDoc doc = new ReferenceDoc();
    doc.intro();
    doc.file("cluster.xml", "spec A", Schema.load("xsd/cluster.xsd"), false);
    doc.file("userconfig.xml", "spec B", Schema.load("xsd/userconfig.xsd"), true);
    return doc.out.toString();
  }

  private void intro() {
    out.append("# Configuration reference\n\n")
        .append("<!-- Generated from config/xsd/*.xsd by ReferenceDoc (bundles/config tests). ")
        .append("Do not edit: change the schema, then run\n")
        .append(
            "     mvn -pl bundles/config test -Dtest=SchemaTest -Dconfig.updateDocs=true -->\n\n")
        .append("Bulwark reads the two files SafeKit administrators write by hand: the cluster ")
        .append("file `SAFEVAR/cluster/cluster.xml` and each module's ")
        .append("`SAFE/modules/AM/conf/userconfig.xml`. Their XSD schemas ship in `config/xsd/` ")
        .append("of the distribution, for editors; the parser enforces the same structure and ")
        .append("the rules below.\n\n")
        .append("- **Errors**: every mistake is reported at once as ")
        .append("`file:line:column: path: message (suggestion)`; nothing is applied when ")
        .append("anything is wrong. Unknown elements and attributes are errors, with ")
        .append("\"did you mean\" for misspellings. Check a file with ")
        .append("`safekit cluster confcheck <file>` or `safekit confcheck -m AM`.\n")
        .append("- **Time values** (since 8.2.5): a number with an optional unit `d`, `h`, `m`, ")
        .append("`s`, `ms`, `us`. Without a unit the number is in the attribute's implicit unit ")
        .append("(column *unit*). Other units are converted to the implicit unit and rounded ")
        .append("half to even; a non-zero value that rounds to 0 is an error, e.g. ")
        .append("`invalid value '500ms' for the attribute boot_delay (expected time unit: 's')`.\n")
        .append("- **Macros**: `<macro name=\"ID\" value=\"V\"/>` in `<safe>` (or between ")
        .append(
            "`<!DOCTYPE safe>` and `<safe>`, as some official modules have them); every `%ID%` in an ")
        .append("attribute or in the failover rules is replaced by V, or by the environment ")
        .append("variable ID when there is no such macro. An undefined `%ID%` in an attribute is ")
        .append("an error. Types apply after expansion.\n")
        .append("- **Dynamic**: *yes* means the value may change with `safekit config -m AM` ")
        .append("while the module runs (ALONE, WAIT, or a farm's UP), without stopping it ")
        .append("(see [modules](modules.md) for what takes effect at once); any other change ")
        .append("needs the module stopped.\n")
        .append("- **Security**: the only DOCTYPE accepted is the bare `<!DOCTYPE safe>` ")
        .append("(`<!DOCTYPE cluster>`); entities are never declared nor resolved, nothing ")
        .append("outside the file is read. Files must be UTF-8 unless their XML declaration ")
        .append("names ISO-8859-1, US-ASCII or windows-1252; at most 4 MiB.\n")
        .append("- Leading and trailing spaces of names and values are ignored.\n\n")
        .append("Rules beyond the schema, checked on every load:\n\n")
        .append("- cluster.xml: lan names unique; node names unique in a lan; one address keeps ")
        .append("one node name on every lan; at least two nodes; at most one lan with ")
        .append("`command=\"on\"`, and it holds every node; without one, some lan holds every ")
        .append("node; addresses are IPv4, IPv6 in brackets or DNS names (never resolved).\n")
        .append("- Modes: a mirror module needs `<heart>` and runs on exactly the two nodes of ")
        .append("its heartbeat lans; `<farm>` is farm only; `<rfs>`, `<splitbrain>`, ")
        .append("`service@failover`, `service@defaultprim` and `<real_interface>` are mirror ")
        .append("only; `<loadbalancing_list>` and `vip@scriptcontrol` are farm only; a light ")
        .append("module has neither heart, farm nor rfs. `when=\"prim|second\"` is for mirror, ")
        .append("`when=\"both\"` for farm and light; a mirror VIP is `one_side_alias` or ")
        .append("`one_side`, a farm VIP `alias`.\n")
        .append("- Names used across files exist: heartbeat, farm and flow lans in cluster.xml; ")
        .append("`defaultprim` and load-balancing hosts among its nodes; rule `virtual_addr` ")
        .append("among the module's VIPs.\n")
        .append("- Uniqueness: macros, heartbeat idents, checker idents per class, process ")
        .append("names, variables, VIPs, group and host names; replicated directories are ")
        .append("absolute, not a filesystem root, and do not contain one another.\n")
        .append("- Consistency: heartbeat `timeout` > `pulse`; failover `handle_time` a ")
        .append("multiple of `period`; `ruzone_blocksize` a multiple of `reipacketsize`; a tcp ")
        .append("checker with `when=\"pre\"` acts with wait or noaction, otherwise with stop, ")
        .append("stopstart, restart or noaction; `restart_services` needs `service=\"yes\"` and ")
        .append("`action=\"restart\"`; a Linux process `name` without `nameregex` has at most 15 ")
        .append("characters; `<errd>` needs `<user>`; `ident=\"flow\"` needs `<rfs>`; regular ")
        .append("expressions compile; `<notreplicated>` has exactly one of path and regexpath.\n")
        .append("- Failover rules: the rules of `<failover>` and those generated from the ")
        .append("checkers compile, every mistake reported with its line and column in the file ")
        .append("(unknown action or resource class, syntax, unsupported Lua); a module whose ")
        .append("rules do not compile is not configured. See ")
        .append("[failover.md](failover.md#mistakes-are-reported-where-they-are).\n")
        .append("- Against the node, at `safekit config` only (not at `confcheck`, not when a ")
        .append("node loads an applied configuration): `interface@name` of `<vip>` is an ")
        .append("interface of this node; a mirror's `virtual_addr@addr` is not held by an ")
        .append("interface of this node unless the module holds it itself, and without ")
        .append("`interface@name` exactly one interface of this node is on its network. See ")
        .append("[vip.md](vip.md#checked-at-safekit-config).\n\n");
  }

  private void file(String name, String spec, Schema schema, boolean module) {
    out.append("## ").append(name).append(" (").append(spec).append(")\n\n");
    element(schema, schema.rootName(), schema.root(), schema.rootDoc(), false, module);
  }

  private void element(
      Schema schema, String path, ElementType type, String doc, boolean dynamic, boolean module) {
    out.append("### `").append(path).append("`\n\n");
    if (doc != null) {
      out.append(doc)
          .append(module && dynamic ? " Dynamic: the whole element." : "")
          .append("\n\n");
    }
    if (type.mixed()) {
      out.append("Text content: the failover rules, in CDATA sections, compiled with the ")
          .append("configuration (a section starting with `--Lua Rules` is Lua); the language is ")
          .append("in [failover.md](failover.md).\n\n");
    }
    if (!type.children().isEmpty()) {
      out.append("| child | occurs | description |\n|---|---|---|\n");
      for (ChildDecl child : type.children()) {
        out.append("| `<")
            .append(child.name())
            .append(">` | ")
            .append(occurs(child))
            .append(" | ")
            .append(child.doc())
            .append(" |\n");
      }
      out.append('\n');
    }
    if (!type.attributes().isEmpty()) {
      out.append("| attribute | required | default | allowed values | unit |")
          .append(module ? " dynamic |" : "")
          .append(" description |\n|---|---|---|---|---|")
          .append(module ? "---|" : "")
          .append("---|\n");
      for (AttributeDecl a : type.attributes().values()) {
        out.append("| `")
            .append(a.name())
            .append("` | ")
            .append(a.required() ? "yes" : "no")
            .append(" | ")
            .append(defaultOf(a))
            .append(" | ")
            .append(escape(a.type().describe()))
            .append(" | ")
            .append(a.unit() == null ? "" : a.unit())
            .append(" | ");
        if (module) {
          out.append(dynamic || a.dynamic() ? "yes" : "no").append(" | ");
        }
        out.append(a.legacy() ? "Legacy. " : "").append(escape(a.doc())).append(" |\n");
      }
      out.append('\n');
    }
    for (ChildDecl child : type.children()) {
      element(
          schema,
          path + "/" + child.name(),
          schema.type(child),
          child.doc(),
          dynamic || child.dynamic(),
          module);
    }
  }

  private static String occurs(ChildDecl child) {
    String max = child.max() < 0 ? "n" : String.valueOf(child.max());
    return child.min() + ".." + max;
  }

  private static String defaultOf(AttributeDecl a) {
    if (a.defaultValue() != null) {
      return "`" + a.defaultValue() + "`";
    }
    return a.computedDefault() == null ? "" : escape(a.computedDefault());
  }

  private static String escape(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("*", "\\*");
  }

  static List<String> lines() {
    return List.of(generate().split("\n", -1));
  }
}
