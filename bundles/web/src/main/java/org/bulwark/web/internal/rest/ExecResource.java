package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliService;
import org.bulwark.web.internal.auth.Caller;
import org.bulwark.web.internal.auth.Role;

/**
 * {@code POST /exec} with {@code {"args":["state","-m","mirror"]}}: runs one {@code safekit}
 * command line here for a distributed command (spec F.7, {@code safekit -H}), with {@code -u
 * user@address}, and answers what it printed and its exit code, whatever that code is: the caller
 * prints the output of each server and decides from the codes. Admin only: any command may run.
 */
@Path("exec")
public final class ExecResource {
  /** What cannot run through here (spec F.7: not logview, -p, -r; no -H loops; -u is ours). */
  static final Set<String> REFUSED = Set.of("logview", "-p", "-r", "-H", "-E", "-G");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CliService cli;

  ExecResource(CliService cli) {
    this.cli = cli;
  }

  /**
   * A command's result.
   *
   * @param command the command line run, without the origin
   * @param exitCode its exit code
   * @param output its standard output
   * @param error its standard error
   */
  public record Result(String command, int exitCode, String output, String error) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
  @ApiDoc(
      value =
          "Runs one safekit command line here, for a distributed command (safekit -H, spec F.7)",
      description =
          "Answers the command's output and exit code, whatever the code; logview, -p, -r, -H, -E,"
              + " -G and -u are refused. The command is journaled as -u user@address.",
      body = "{\"args\":[\"state\",\"-m\",\"AM\"]}: the command line, one string per argument",
      errors = 400)
  public Result exec(InputStream body, @Context SecurityContext security) {
    List<String> args = args(Bodies.read(body));
    if (REFUSED.contains(args.get(0))) {
      throw ApiException.badRequest(
          "'" + args.get(0) + "' cannot be run from another server (spec F.7)");
    }
    if (args.contains("-u")) {
      throw ApiException.badRequest("'-u' cannot be given: the origin is the caller");
    }
    Caller caller = ModulesResource.caller(security);
    List<String> argv = new ArrayList<>(args);
    argv.add("-u");
    argv.add(caller.origin());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err)) {
      code = cli.execute(argv, Map.of("USER", caller.name()), CliOutput.of(o, e));
    }
    return new Result(String.join(" ", args), code, out.toString(), err.toString());
  }

  /** The {@code args} array of the body: one string per argument, at least one. */
  static List<String> args(byte[] body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the body cannot be read: " + e.getMessage());
    }
    JsonNode array = json == null ? null : json.get("args");
    if (array == null || !array.isArray() || array.isEmpty()) {
      throw ApiException.badRequest(
          "the body must be {\"args\":[\"<command>\", …]}: 'args' is missing or empty");
    }
    List<String> args = new ArrayList<>();
    for (JsonNode a : array) {
      if (!a.isTextual()) {
        throw ApiException.badRequest("'args' must hold strings only, not " + a);
      }
      args.add(a.asText());
    }
    return args;
  }
}
