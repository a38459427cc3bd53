package org.bulwark.web.internal;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.store.CommandLog;
import org.bulwark.web.internal.auth.Role;
import org.bulwark.web.internal.auth.UserStore;
import org.bulwark.web.internal.rcmd.RcmdCredentials;
import org.bulwark.web.internal.rest.WebConf;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code safekit webservercfg -passwd <pwd> [-user <name>] [-role Admin|Control|Monitor]} (spec
 * F.1): sets the password of a web user, {@code admin} by default, and optionally its role. {@code
 * -rcmdpasswd <pwd> [-rcmduser <name>]} sets the private user of distributed commands ({@code
 * rcmdadmin}, an Admin; spec F.7): in the users file, and in {@code rcmd.conf} for this node to
 * present to the others. The commands log gets the command with the passwords masked.
 */
@Component(service = CliVerb.class)
public final class WebservercfgVerb implements CliVerb {
  static final String MASK = "*****";

  private final UserStore users;
  private final RcmdCredentials rcmd;
  private final CommandLog commandLog;

  @Activate
  public WebservercfgVerb(@Reference NodeEnvironment env, @Reference CommandLog commandLog) {
    this(WebConf.users(env), commandLog);
  }

  WebservercfgVerb(UserStore users, CommandLog commandLog) {
    this.users = users;
    this.rcmd = new RcmdCredentials(users.usersFile().getParent());
    this.commandLog = commandLog;
  }

  @Override
  public String name() {
    return "webservercfg";
  }

  @Override
  public String summary() {
    return "set the password (and role) of a web console and API user, or of distributed commands";
  }

  @Override
  public String usage() {
    return "Usage: safekit webservercfg -passwd <password> [-user <name>] [-role Admin|Control|Monitor]\n"
        + "       safekit webservercfg -rcmdpasswd <password> [-rcmduser <name>]\n"
        + "  Sets the password of <name> (default admin), creating the user. Without -role a new\n"
        + "  user is Admin unless "
        + users.usersFile().resolveSibling("group.conf")
        + " says otherwise.\n"
        + "  -rcmdpasswd sets the user of distributed commands (safekit -H; default "
        + RcmdCredentials.DEFAULT_USER
        + "),\n"
        + "  an Admin; give it the same password on every node.";
  }

  /** Journaled by {@link #run} itself, with the password masked. */
  @Override
  public boolean journaled(CliRequest request) {
    return false;
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    List<String> args = new ArrayList<>(request.args());
    String password = option(args, "-passwd");
    String user = option(args, "-user");
    String roleName = option(args, "-role");
    String rcmdPassword = option(args, "-rcmdpasswd");
    String rcmdUser = option(args, "-rcmduser");
    if (!args.isEmpty()) {
      throw new IllegalArgumentException("unexpected argument '" + args.get(0) + "'");
    }
    if (password == null && rcmdPassword == null) {
      throw new IllegalArgumentException(
          "-passwd <password> or -rcmdpasswd <password> is required");
    }
    if (password == null && (user != null || roleName != null)) {
      throw new IllegalArgumentException("-user and -role go with -passwd <password>");
    }
    if (rcmdPassword == null && rcmdUser != null) {
      throw new IllegalArgumentException("-rcmduser goes with -rcmdpasswd <password>");
    }
    String name = user == null ? "admin" : user;
    Role role = null;
    if (roleName != null) {
      role =
          Role.parse(roleName)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "-role takes Admin, Control or Monitor, not '" + roleName + "'"));
    }
    String rcmdName = rcmdUser == null ? RcmdCredentials.DEFAULT_USER : rcmdUser;
    String masked =
        "webservercfg"
            + (password == null
                ? ""
                : " -passwd " + MASK + " -user " + name + (role == null ? "" : " -role " + role))
            + (rcmdPassword == null ? "" : " -rcmdpasswd " + MASK + " -rcmduser " + rcmdName)
            + (request.user() == null ? "" : " -u " + request.user());
    long id = commandLog.start("safekit", null, masked);
    int code = CliExit.FAILED;
    try {
      if (password != null) {
        users.setPassword(name, password, role);
        out.out().println("Password of " + name + " set in " + users.usersFile());
      }
      if (rcmdPassword != null) {
        users.setPassword(rcmdName, rcmdPassword, Role.ADMIN);
        rcmd.write(rcmdName, rcmdPassword);
        out.out()
            .println(
                "Distributed-command user "
                    + rcmdName
                    + " set in "
                    + users.usersFile()
                    + " and "
                    + rcmd.file());
      }
      code = CliExit.OK;
    } catch (IllegalArgumentException e) {
      code = CliExit.USAGE;
      throw e;
    } finally {
      commandLog.end(id, code);
    }
    return code;
  }

  private static String option(List<String> args, String option) {
    int i = args.indexOf(option);
    if (i < 0) {
      return null;
    }
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException("option " + option + " needs a value");
    }
    String value = args.remove(i + 1);
    args.remove(i);
    return value;
  }
}
