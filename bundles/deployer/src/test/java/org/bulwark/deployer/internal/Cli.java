package org.bulwark.deployer.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;

/** Runs a verb as the CLI server would and keeps what it printed. */
final class Cli implements CliOutput {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final PrintWriter outWriter = new PrintWriter(out, true);
  private final PrintWriter errWriter = new PrintWriter(err, true);
  int code;

  static Cli run(CliVerb verb, String module, String pwd, String... args) throws Exception {
    Cli cli = new Cli();
    Map<String, String> env = pwd == null ? Map.of() : Map.of("PWD", pwd);
    cli.code = verb.run(new CliRequest(verb.name(), List.of(args), module, null, env), cli);
    return cli;
  }

  String stdout() {
    return out.toString();
  }

  String stderr() {
    return err.toString();
  }

  @Override
  public PrintWriter out() {
    return outWriter;
  }

  @Override
  public PrintWriter err() {
    return errWriter;
  }
}
