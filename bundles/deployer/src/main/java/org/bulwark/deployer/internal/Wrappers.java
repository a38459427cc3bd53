package org.bulwark.deployer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.api.config.Vip;
import org.bulwark.api.env.SafeDirectories;

/**
 * {@code SAFEUSERBIN/AM_start_wrapper.sh} and {@code AM_stop_wrapper.sh}, written at {@code config}
 * (spec E.5, RN 2.3.5): they run the application without the module — the start wrapper sets the
 * module's virtual IPs and runs its start scripts with the script environment, the stop wrapper
 * runs its stop scripts, gracefully then forced, and removes the virtual IPs. For an application to
 * be run by hand or by another tool while no module runs it; never while the module runs.
 */
final class Wrappers {

  private Wrappers() {}

  static String startName(String module) {
    return module + "_start_wrapper.sh";
  }

  static String stopName(String module) {
    return module + "_stop_wrapper.sh";
  }

  /** Writes both wrappers into {@code bin}, executable. */
  static void write(Path bin, SafeDirectories dirs, ModuleConfig model) throws IOException {
    Files.createDirectories(bin);
    String module = model.moduleName();
    writeScript(bin.resolve(startName(module)), start(dirs, model));
    writeScript(bin.resolve(stopName(module)), stop(dirs, model));
  }

  private static void writeScript(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
  }

  static String start(SafeDirectories dirs, ModuleConfig model) {
    boolean mirror = model.mode() == ServiceConfig.Mode.MIRROR;
    String args = mirror ? "WAIT PRIM start" : "WAIT UP start";
    StringBuilder s = header(dirs, model, "start", "sets the virtual IPs, runs the start scripts");
    for (Vip.Address a : addresses(model)) {
      s.append("vip add ").append(quote(a.addr())).append(' ');
      s.append(quote(a.netmask().orElse(""))).append(" || exit 1\n");
    }
    for (String script : mirror ? List.of("start_both", "start_prim") : List.of("start_both")) {
      s.append("run ").append(script).append(' ').append(args).append(" || exit $?\n");
    }
    return s.append("exit 0\n").toString();
  }

  static String stop(SafeDirectories dirs, ModuleConfig model) {
    boolean mirror = model.mode() == ServiceConfig.Mode.MIRROR;
    String args = mirror ? "PRIM WAIT stop" : "UP WAIT stop";
    List<String> scripts = mirror ? List.of("stop_prim", "stop_both") : List.of("stop_both");
    StringBuilder s = header(dirs, model, "stop", "runs the stop scripts, removes the virtual IPs");
    for (String script : scripts) {
      s.append("run ").append(script).append(' ').append(args).append('\n');
    }
    for (String script : scripts) {
      s.append("run ").append(script).append(" force ").append(args).append('\n');
    }
    for (Vip.Address a : addresses(model)) {
      s.append("vip del ").append(quote(a.addr())).append(" ''\n");
    }
    return s.append("exit 0\n").toString();
  }

  private static List<Vip.Address> addresses(ModuleConfig model) {
    return model.vip().map(Vip::addresses).orElse(List.of());
  }

  private static StringBuilder header(
      SafeDirectories dirs, ModuleConfig model, String what, String does) {
    String module = model.moduleName();
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/sh\n");
    s.append("# ").append(module).append('_').append(what).append("_wrapper.sh: written by ");
    s.append("safekit config -m ").append(module).append(" (spec E.5); ").append(does);
    s.append(",\n# to run the application without the module. Do not use it while the module ");
    s.append("runs. Rewritten at each config.\n");
    Map<String, String> env = new LinkedHashMap<>(dirs.scriptEnvironment(module));
    model.user().ifPresent(u -> u.vars().forEach(v -> env.put(v.name(), v.value())));
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        s.append("export ").append(e.getKey()).append('=').append(quote(e.getValue()));
        s.append('\n');
      }
    }
    s.append(FUNCTIONS);
    return s;
  }

  /** The shell functions both wrappers share: running a script, adding and removing a VIP. */
  private static final String FUNCTIONS =
      String.join(
          "\n",
          "run() {",
          "  script=$1",
          "  shift",
          "  [ -x \"$SAFEUSERBIN/$script\" ] || return 0",
          "  (cd \"$SAFEUSERBIN\" && \"./$script\" \"$@\")",
          "}",
          "# vip add|del <address> <netmask>: added on the interface whose network holds it",
          "# (ip route get), with the netmask or that network's prefix; removed where it is",
          "vip() {",
          "  held=$(ip -o -4 addr show | awk -v a=\"$2\" '{split($4, p, \"/\"); if (p[1] == a)"
              + " print $2, $4}' | head -n 1)",
          "  if [ \"$1\" = del ]; then",
          "    [ -z \"$held\" ] || ip addr del \"${held#* }\" dev \"${held%% *}\"",
          "    return",
          "  fi",
          "  [ -z \"$held\" ] || return 0",
          "  dev=$(ip -o route get \"$2\" 2>/dev/null | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p')",
          "  [ -n \"$dev\" ] || { echo \"no interface reaches $2\" >&2; return 1; }",
          "  prefix=32",
          "  if [ -n \"$3\" ]; then",
          "    prefix=$(echo \"$3\" | awk -F. '{n=0; for (i=1;i<=4;i++) { b=$i;"
              + " while (b>0) { n+=b%2; b=int(b/2) } } print n}')",
          "  else",
          "    net=$(ip -o -4 route show dev \"$dev\" scope link 2>/dev/null | awk '{print $1}'"
              + " | grep / | head -n 1)",
          "    [ -n \"$net\" ] && prefix=${net#*/}",
          "  fi",
          "  ip addr add \"$2/$prefix\" dev \"$dev\"",
          "}",
          "");

  /** {@code value} as one single-quoted shell word. */
  static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
