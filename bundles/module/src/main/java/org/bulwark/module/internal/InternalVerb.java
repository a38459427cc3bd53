package org.bulwark.module.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.bulwark.api.checker.ProcessTable;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.farm.FarmStatus;
import org.bulwark.api.net.BucketView;
import org.bulwark.api.store.EventLevel;
import org.bulwark.module.internal.VerbSupport.Args;

/**
 * {@code safekit -r <program> …}: the programs that need the node (spec D.3, E.5, F.6). Any other
 * program is a file of {@code SAFEBIN} that the {@code safekit} client runs itself, with the
 * SafeKit environment; the client forwards only the names of {@link #PROGRAMS}. They are {@code
 * xpathGet}, {@code logI18nMSG} and {@code processtree} (whose {@code SAFEBIN} files call back
 * here), {@code saferpc_send} and {@code vip_if_ctrl -l}, the bucket bitmap of the farm filter as
 * the kernel holds it, 8 words of 32 bits per group ({@code ffffffff}: all 32 buckets of that
 * word), after the view this node's membership installed. With {@code -m AM} one module, else every
 * farm module.
 */
final class InternalVerb implements CliVerb {
  private final ModuleExtender modules;
  private final Supplier<Optional<ProcessTable>> processes;

  InternalVerb(ModuleExtender modules, Supplier<Optional<ProcessTable>> processes) {
    this.modules = modules;
    this.processes = processes;
  }

  @Override
  public String name() {
    return "-r";
  }

  @Override
  public String summary() {
    return "run an internal program: vip_if_ctrl -l (the farm filter's buckets), saferpc_send vipd"
        + " SETGROUPS (scriptcontrol), errdpoll_running (the processes errd sees)";
  }

  @Override
  public String usage() {
    return "Usage: safekit -r vip_if_ctrl -l [-m AM]\n"
        + "       safekit -r errdpoll_running\n"
        + "       safekit -r saferpc_send vipd SETGROUPS all all all|none none none -m AM\n"
        + "  print, for each farm module (or AM), its membership view and per load-balancing group\n"
        + "  the buckets this node's kernel filter accepts: N/256, then 8 words of 32 bits\n"
        + "  (bucket b is bit b mod 32 of word b / 32); '  -> addr' lines: buckets forwarded\n"
        + "  (vmac_directed)\n"
        + "  errdpoll_running: every process as errd sees it, in SAFEVAR/errdpoll_reserrd\n"
        + "  saferpc_send: with scriptcontrol=\"on\", the module's scripts open (all) or close"
        + " (none)\n  its farm traffic\n"
        + "       safekit [-m AM] -r <program> [args…]   (a file of SAFEBIN, or an absolute path)\n"
        + "       safekit -r xpathGet <xpath> <file>\n"
        + "       safekit -r logI18nMSG [-i identity] I|W|E <text with %1…%9> [arg…] -m AM\n"
        + "       safekit -r processtree list|kill <comm>|all [<regex on the full command>]";
  }

  @Override
  public boolean journaled(CliRequest request) {
    // SETGROUPS changes what the node serves, processtree kill ends processes; the others read
    List<String> a = request.args();
    return !a.isEmpty()
        && (a.get(0).equals("saferpc_send")
            || (a.get(0).equals("processtree") && a.size() > 1 && a.get(1).equals("kill")));
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    Args args = new Args(request.args());
    String program = args.next();
    if (program == null) {
      throw new IllegalArgumentException("no program given");
    }
    switch (program) {
      case "xpathGet":
        return xpathGet(request, args, out);
      case "logI18nMSG":
        return logMessage(request, args, out);
      case "processtree":
        ProcessTree.run(tree, request.args().subList(1, request.args().size()))
            .forEach(out.out()::println);
        return CliExit.OK;
      default:
        break;
    }

    if (program.equals("saferpc_send")) {
      return setGroups(request, args, out);
    }
    if (program.equals("errdpoll_running")) {
      args.end();
      return ErrdPoll.dump(processes.get(), modules.directories().safeVar(), out);
    }
    if (!program.equals("vip_if_ctrl")) {
      throw new IllegalArgumentException("unknown internal program '" + program + "'");
    }
    if (!args.flag("-l")) {
      throw new IllegalArgumentException("vip_if_ctrl: only -l (list) is supported");
    }
    args.end();
    List<ModuleRuntime> farms =
        modules.runtimes().stream()
            .filter(m -> m.farm().isPresent())
            .filter(m -> request.module() == null || m.name.equals(request.module()))
            .sorted((a, b) -> a.name.compareTo(b.name))
            .toList();
    if (farms.isEmpty()) {
      out.err()
          .println(
              "Error: "
                  + (request.module() == null
                      ? "no farm module is configured on this node"
                      : "module " + request.module() + " is not a configured farm module"));
      return CliExit.FAILED;
    }
    for (ModuleRuntime m : farms) {
      FarmMembership farm = m.farm().get();
      FarmStatus status = farm.status();
      out.out().println(m.name + ": " + status.view());
      Optional<BucketView> view = farm.view();
      if (view.isEmpty()) {
        out.out().println("  no filter: traffic not set on this node");
      } else {
        out.out().print(view.get().render());
      }
    }
    return CliExit.OK;
  }

  /** The programs run in the node; the client's list (karaf-assembly safekit.c) must match. */
  static final List<String> PROGRAMS =
      List.of(
          "vip_if_ctrl",
          "saferpc_send",
          "xpathGet",
          "logI18nMSG",
          "processtree",
          "errdpoll_running"); // the last one is served once errd is there (branch checkers)

  // the process table of processtree (its tests give ProcessTree their own)
  private final ProcessTree.Table tree = new ProcessTree.Linux(Path.of("/proc"));

  /** {@code xpathGet <xpath> <file>}: exit 1 when nothing is selected, 2 on a bad argument. */
  static int xpathGet(CliRequest request, Args args, CliOutput out) {
    String xpath = args.next();
    String file = args.next();
    args.end();
    if (xpath == null || file == null) {
      throw new IllegalArgumentException("xpathGet takes an XPath and a file");
    }
    Path path = Path.of(file);
    String cwd = request.environment().get("PWD");
    if (!path.isAbsolute() && cwd != null && !cwd.isEmpty()) {
      path = Path.of(cwd).resolve(path);
    }
    try {
      List<String> values = XpathGet.values(xpath, path);
      values.forEach(out.out()::println);
      return values.isEmpty() ? CliExit.FAILED : CliExit.OK;
    } catch (XpathGet.Failure e) {
      out.err().println("Error: " + e.getMessage());
      return CliExit.FAILED;
    }
  }

  /**
   * {@code logI18nMSG I|W|E <text> [arg…]}: a line in the module log, {@code %1}…{@code %9} of the
   * text replaced by the arguments (spec E.5; the official scripts' message catalogue is not
   * public, so the text is given in the call).
   */
  private int logMessage(CliRequest request, Args args, CliOutput out) throws Exception {
    LogLine line = LogLine.parse(request, args);
    Optional<ModuleRuntime> m = modules.runtime(request.module());
    if (m.isEmpty()) {
      out.err()
          .println("Error: module " + request.module() + " is not installed or not configured");
      return CliExit.FAILED;
    }
    ModuleVerbs.within(
        m.get().print(line.level(), line.component(), line.text()), ModuleVerbs.ANSWER, "log it");
    return CliExit.OK;
  }

  /** A {@code logI18nMSG} call: the line to write, checked before any module is asked. */
  record LogLine(EventLevel level, String component, String text) {
    static LogLine parse(CliRequest request, Args args) {
      String identity = args.option("-i");
      String level = args.next();
      String text = args.next();
      List<String> values = new java.util.ArrayList<>();
      for (String v = args.next(); v != null; v = args.next()) {
        values.add(v);
      }
      if (level == null || text == null) {
        throw new IllegalArgumentException("logI18nMSG takes a level (I, W or E) and a text");
      }
      EventLevel eventLevel =
          switch (level) {
            case "I" -> EventLevel.I;
            case "W" -> EventLevel.W;
            case "E" -> EventLevel.E;
            default ->
                throw new IllegalArgumentException(
                    "logI18nMSG: level I, W or E, not '" + level + "'");
          };
      if (values.size() > 9) {
        throw new IllegalArgumentException("logI18nMSG takes at most 9 arguments (%1…%9)");
      }
      if (request.module() == null) {
        throw new IllegalArgumentException("no module given: use -m AM (implicit in scripts)");
      }
      return new LogLine(eventLevel, identity == null ? "userplug" : identity, fill(text, values));
    }
  }

  /**
   * {@code text} with {@code %n} replaced by the n-th value; unknown {@code %n} stay as they are.
   */
  static String fill(String text, List<String> values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 1 < text.length()) {
        char d = text.charAt(i + 1);
        if (d >= '1' && d <= '9' && d - '1' < values.size()) {
          b.append(values.get(d - '1'));
          i++;
          continue;
        }
      }
      b.append(c);
    }
    return b.toString();
  }

  /**
   * {@code saferpc_send vipd SETGROUPS all all all | none none none} (spec B.6 {@code
   * scriptcontrol}, D.4): the module's scripts open or close its farm traffic.
   */
  private int setGroups(CliRequest request, Args args, CliOutput out) throws Exception {
    List<String> words = new java.util.ArrayList<>();
    for (String w = args.next(); w != null; w = args.next()) {
      words.add(w);
    }
    boolean open;
    if (words.equals(List.of("vipd", "SETGROUPS", "all", "all", "all"))) {
      open = true;
    } else if (words.equals(List.of("vipd", "SETGROUPS", "none", "none", "none"))) {
      open = false;
    } else {
      throw new IllegalArgumentException(
          "saferpc_send: only 'vipd SETGROUPS all all all' and 'vipd SETGROUPS none none none'"
              + " are supported, not '"
              + String.join(" ", words)
              + "'");
    }
    if (request.module() == null) {
      throw new IllegalArgumentException("no module given: use -m AM (implicit in scripts)");
    }
    Optional<ModuleRuntime> m = modules.runtime(request.module());
    if (m.isEmpty() || m.get().farm().isEmpty()) {
      out.err().println("Error: module " + request.module() + " is not a configured farm module");
      return CliExit.FAILED;
    }
    m.get().farm().get().setGroups(open).get(30, java.util.concurrent.TimeUnit.SECONDS);
    out.out().println("farm traffic of " + request.module() + (open ? " opened" : " closed"));
    return CliExit.OK;
  }
}
