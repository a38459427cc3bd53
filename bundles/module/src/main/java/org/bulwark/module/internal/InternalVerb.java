package org.bulwark.module.internal;

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
import org.bulwark.module.internal.VerbSupport.Args;

/**
 * {@code safekit -r <program> …}: SafeKit's internal programs run through the command (spec D.3).
 * One is known: {@code vip_if_ctrl -l}, the bucket bitmap of the farm filter as the kernel holds
 * it, 8 words of 32 bits per group ({@code ffffffff}: all 32 buckets of that word), after the view
 * this node's membership installed. With {@code -m AM} one module, else every farm module.
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
        + " (none)\n  its farm traffic";
  }

  @Override
  public boolean journaled(CliRequest request) {
    // SETGROUPS changes what the node serves; vip_if_ctrl only reads
    return !request.args().isEmpty() && request.args().get(0).equals("saferpc_send");
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    Args args = new Args(request.args());
    String program = args.next();
    if (program == null) {
      throw new IllegalArgumentException("no program given");
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
