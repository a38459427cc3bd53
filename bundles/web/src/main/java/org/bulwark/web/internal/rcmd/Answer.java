package org.bulwark.web.internal.rcmd;

/**
 * What one server did with a distributed command.
 *
 * @param exitCode the command's exit code there; 1 when the server could not be reached or refused
 *     the request
 * @param output what the command printed on its standard output
 * @param error what it printed on its standard error, or why the server could not run it
 */
record Answer(int exitCode, String output, String error) {

  static Answer failed(String why) {
    return new Answer(1, "", why);
  }

  /** Two steps on one server (install, then config): both outputs, the first failure's code. */
  Answer then(Answer next) {
    return new Answer(
        exitCode != 0 ? exitCode : next.exitCode(), output + next.output(), error + next.error());
  }
}
