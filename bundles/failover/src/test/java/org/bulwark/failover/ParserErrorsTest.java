package org.bulwark.failover;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.bulwark.api.config.ConfigurationError;
import org.junit.Test;

/**
 * Bad rules are refused with the file, line and column of the mistake in {@code userconfig.xml}
 * (issue 11: "a rule with a syntax error, an unknown resource class … refused at confcheck with
 * line and column"), every mistake at once.
 */
public class ParserErrorsTest {

  /** A section whose first rule starts at line 40, column 7 of userconfig.xml. */
  private static List<ConfigurationError> errors(String rules) {
    return errors(FailoverRules.mirror(), rules);
  }

  private static List<ConfigurationError> errors(FailoverRules b, String rules) {
    FailoverRules.Compiled c = b.section("\n      " + rules + "\n   ", 40, 7).compile();
    assertFalse("expected errors for " + rules, c.ok());
    assertTrue(c.rules().isEmpty());
    return c.errors();
  }

  private static ConfigurationError only(String rules) {
    List<ConfigurationError> e = errors(rules);
    assertEquals(e.toString(), 1, e.size());
    return e.get(0);
  }

  /** Line 40, the column of {@code part} in a one-line rule indented by six. */
  private static void assertAt(ConfigurationError e, String rule, String part, int occurrence) {
    int index = -1;
    for (int i = 0; i <= occurrence; i++) {
      index = rule.indexOf(part, index + 1);
    }
    assertEquals("userconfig.xml", e.file());
    assertEquals(FailoverRules.PATH, e.path());
    assertEquals(e.format(), 40, e.line());
    assertEquals(e.format(), 7 + index, e.column());
  }

  @Test
  public void unknownAction() {
    String rule = "r: if (tcp.db == down) then wiat();";
    ConfigurationError e = only(rule);
    assertAt(e, rule, "wiat", 0);
    assertTrue(e.message(), e.message().startsWith("unknown action 'wiat'"));
    assertEquals("did you mean 'wait'?", e.suggestion());
    assertEquals(
        "userconfig.xml:40:35: /safe/service/failover: unknown action 'wiat': expected stop(),"
            + " stopstart(), wait(), restart(), swap() or a resource assignment (did you mean"
            + " 'wait'?)",
        e.format());
  }

  @Test
  public void unknownResourceClass() {
    String rule = "r: if (tpc.db == down) then restart();";
    ConfigurationError e = only(rule);
    assertAt(e, rule, "tpc", 0);
    assertTrue(e.message(), e.message().startsWith("unknown resource class 'tpc' in tpc.db"));
    assertEquals("did you mean 'tcp'?", e.suggestion());
  }

  @Test
  public void unknownClassAfterRemotePrefix() {
    String rule = "r: if (remote.rsf.uptodate == down) then wait();";
    ConfigurationError e = only(rule);
    assertAt(e, rule, "rsf", 0);
    assertEquals("did you mean 'rfs'?", e.suggestion());
  }

  @Test
  public void missingSemicolon() {
    String rule = "r: if (tcp.db == down) then wait() s: if (ip.? == down) then stop();";
    ConfigurationError e = only(rule);
    assertAt(e, rule, "s:", 0);
    assertEquals("expected ';' at the end of rule r but found 's'", e.message());
  }

  @Test
  public void assignmentInsteadOfComparison() {
    String rule = "r: if (tcp.db = down) then wait();";
    ConfigurationError e = only(rule);
    assertAt(e, rule, "=", 0);
    assertEquals("'=' assigns: compare with '=='", e.message());
  }

  @Test
  public void conditionWithoutParentheses() {
    String rule = "r: if tcp.db == down then wait();";
    ConfigurationError e = only(rule);
    assertAt(e, rule, "tcp", 0);
    assertEquals("expected '(' after 'if' but found 'tcp.db'", e.message());
  }

  @Test
  public void actionWithoutParentheses() {
    String rule = "r: if (tcp.db == down) then wait;";
    ConfigurationError e = only(rule);
    assertAt(e, rule, ";", 0);
    assertEquals("expected '(' after 'wait': actions are written wait()", e.message());
  }

  @Test
  public void unknownState() {
    String rule = "r: if (tcp.db == dwn) then wait();";
    ConfigurationError e = only(rule);
    assertAt(e, rule, "dwn", 0);
    assertEquals("did you mean 'down'?", e.suggestion());
  }

  @Test
  public void wildcardInsideAName() {
    String rule = "r: if (tcp.db* == down) then wait();";
    ConfigurationError e = only(rule);
    assertAt(e, rule, "db*", 0);
  }

  @Test
  public void orderedComparisonNeedsANumber() {
    String rule = "r: if (rfs.rep_bandwidth > up) then swap();";
    ConfigurationError e = only(rule);
    assertAt(e, rule, "up", 0);
  }

  @Test
  public void remoteResourcesInAFarm() {
    String rule = "r: if (remote.tcp.db == down) then wait();";
    List<ConfigurationError> e = errors(FailoverRules.farm(), rule);
    assertEquals(1, e.size());
    assertAt(e.get(0), rule, "remote", 0);
    assertTrue(e.get(0).message().startsWith("remote resources exist only in mirror modules"));
  }

  @Test
  public void unclosedComment() {
    String rule = "/* rules r: if (tcp.db == down) then wait();";
    ConfigurationError e = only(rule);
    assertAt(e, rule, "/*", 0);
  }

  @Test
  public void internalWordsAreNotForUsers() {
    assertTrue(
        only("r: if (tcp.db == down) then wakeup();").message().startsWith("unknown action"));
    assertTrue(
        only("r: if (wait_rules() == down) then stop();")
            .message()
            .startsWith("unknown function 'wait_rules()'"));
  }

  @Test
  public void everyMistakeAtOnceOnItsOwnLine() {
    String text =
        "a: if (tcp.db == down) then wiat();\n"
            + "      ok: if (tcp.db == down) then restart();\n"
            + "      b: if (tpc.db == down) then wait();\n"
            + "      c: if (tcp.db == down) then wait()";
    List<ConfigurationError> e = errors(text);
    assertEquals(e.toString(), 3, e.size());
    assertEquals(List.of(40, 42, 43), e.stream().map(ConfigurationError::line).toList());
    assertEquals(List.of(35, 14, 41), e.stream().map(ConfigurationError::column).toList());
    assertEquals(
        "expected ';' at the end of rule c but found the end of the rules", e.get(2).message());
  }

  @Test
  public void duplicateUserLabels() {
    String text = "a: if (tcp.db == down) then wait();\n      a: if (ip.? == down) then stop();";
    List<ConfigurationError> e = errors(text);
    assertEquals(1, e.size());
    assertEquals(41, e.get(0).line());
    assertEquals(7, e.get(0).column());
    assertEquals("rule a is already defined (at line 40)", e.get(0).message());
  }

  @Test
  public void internalRulesCannotBeRedefined() {
    List<ConfigurationError> e =
        errors(
            FailoverRules.mirror().replication(true, false, false),
            "notuptodate_server: if (tcp.db == down) then wait();");
    assertEquals(
        "rule notuptodate_server is already defined (an internal rule)", e.get(0).message());
    e = errors("Implicit_wakeup: if (tcp.db == down) then wait();");
    assertEquals("rule Implicit_wakeup is already defined (an internal rule)", e.get(0).message());
  }

  @Test
  public void columnsOnTheFirstLineOfACdataThatStartsMidLine() {
    // <failover><![CDATA[ r: if (tcp.db == down) then wiat(); ]]>: the rule starts at column 21
    FailoverRules.Compiled c =
        FailoverRules.mirror().section(" r: if (tcp.db == down) then wiat(); ", 12, 21).compile();
    ConfigurationError e = c.errors().get(0);
    assertEquals(12, e.line());
    assertEquals(21 + "r: if (tcp.db == down) then ".length(), e.column());
  }

  @Test
  public void handleTimeMustBeAMultipleOfPeriod() {
    FailoverRules.Compiled c =
        FailoverRules.farm()
            .timing(java.time.Duration.ofMillis(4000), java.time.Duration.ofMillis(15000))
            .compile();
    assertEquals(
        "handle_time (15000 ms) must be a multiple of period (4000 ms)",
        c.errors().get(0).message());
  }
}
