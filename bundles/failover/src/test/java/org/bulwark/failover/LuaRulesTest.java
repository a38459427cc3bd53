package org.bulwark.failover;

import static org.bulwark.failover.DecisionTableTest.strings;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import org.bulwark.api.config.ConfigurationError;
import org.junit.Test;

/**
 * The {@code --Lua Rules} form (spec B.19): the guide's two statements are read as data and
 * compiled to the native rules; any other Lua is refused with its line and column (docs/failover.md
 * "Lua").
 */
public class LuaRulesTest {

  @Test
  public void theGuidesExamples() {
    RuleSet rules =
        FailoverRules.mirror()
            .timing(Duration.ofMillis(5000), Duration.ZERO)
            .section(
                "--Lua Rules\n"
                    + "     Rules = Rules +\n"
                    + "     { custom_failure=if_then(\"custom.AppChecker\",\"down\",Action.stopstart),"
                    + "_group=\"checker\" }",
                20,
                6)
            .section(
                "--Lua Rules\n"
                    + "  Rules.disable(\"ip_failure\")\n"
                    + "  -- Add here any Lua rules intended to replace the mentioned rules, or write"
                    + " the legacy rules in another CDATA section",
                30,
                3)
            .section("allip_failure: if (ip.* == down) then stopstart();", 36, 3)
            .compile()
            .orThrow();
    assertFalse(rules.has("ip_failure"));
    assertTrue(rules.has("allip_failure"));
    assertEquals("userconfig.xml:22:8", rules.where("custom_failure"));
    FailoverMachine m = new FailoverMachine(rules);
    assertEquals(
        List.of("custom_failure: stopstart()"),
        strings(m.evaluate(Rows.local("custom.AppChecker=down"), 0)));
    assertEquals(List.of(), strings(m.evaluate(Rows.local("ip.a=down ip.b=up"), 0)));
  }

  @Test
  public void severalRulesInOneTableAndAReplacementOfTheSameLabel() {
    RuleSet rules =
        FailoverRules.farm()
            .timing(Duration.ofMillis(5000), Duration.ZERO)
            .section(
                "--Lua Rules\n"
                    + "Rules.disable('ip_failure')\n"
                    + "Rules = Rules + { a=if_then(\"tcp.?\",\"down\",Action.restart),\n"
                    + "  ip_failure=if_then(\"ip.*\",\"down\",Action.stop), _group=\"checker\" }\n"
                    + "--[[ a block\n comment ]]",
                1,
                1)
            .compile()
            .orThrow();
    FailoverMachine m = new FailoverMachine(rules);
    assertEquals(List.of("a: restart()"), strings(m.evaluate(Rows.local("tcp.x=down"), 0)));
    assertEquals(List.of(), strings(m.evaluate(Rows.local("ip.a=down ip.b=up"), 0)));
    assertEquals(List.of("ip_failure: stop()"), strings(m.evaluate(Rows.local("ip.a=down"), 0)));
  }

  @Test
  public void otherLuaIsRefusedWithItsLine() {
    FailoverRules.Compiled c =
        FailoverRules.mirror()
            .section(
                "--Lua Rules\n"
                    + "  local n = 0\n"
                    + "  Rules = Rules + { r=if_then(\"tcp.db\",\"down\",Action.wait) }\n"
                    + "  os.execute(\"rm -rf /\")",
                50,
                3)
            .compile();
    List<ConfigurationError> e = c.errors();
    assertEquals(e.toString(), 2, e.size());
    assertEquals(51, e.get(0).line());
    assertEquals(3, e.get(0).column());
    assertTrue(
        e.get(0)
            .message()
            .startsWith(
                "unsupported Lua 'local': Bulwark reads Lua rules as data and runs no Lua"));
    assertEquals(53, e.get(1).line());
    assertTrue(e.get(1).message().startsWith("unsupported Lua 'os.execute'"));
  }

  @Test
  public void mistakesInsideIfThen() {
    FailoverRules.Compiled c =
        FailoverRules.mirror()
            .section(
                "--Lua Rules\n"
                    + "Rules = Rules + { r=if_then(\"tpc.db\",\"down\",Action.wait) }\n"
                    + "Rules = Rules + { s=if_then(\"tcp.db\",\"dwn\",Action.wait) }\n"
                    + "Rules = Rules + { t=if_then(\"tcp.db\",\"down\",Action.wiat) }\n"
                    + "Rules = Rules + { u=wait() }",
                1,
                1)
            .compile();
    List<ConfigurationError> e = c.errors();
    assertEquals(e.toString(), 4, e.size());
    assertEquals(
        "2:30 did you mean 'tcp'?",
        e.get(0).line() + ":" + e.get(0).column() + " " + e.get(0).suggestion());
    assertEquals(
        "3:39 did you mean 'down'?",
        e.get(1).line() + ":" + e.get(1).column() + " " + e.get(1).suggestion());
    assertEquals(
        "4:45 did you mean 'wait'?",
        e.get(2).line() + ":" + e.get(2).column() + " " + e.get(2).suggestion());
    assertEquals(5, e.get(3).line());
  }

  @Test
  public void internalRulesCannotBeDisabledAndUnknownLabelsAreNamed() {
    FailoverRules.Compiled c =
        FailoverRules.mirror()
            .replication(true, false, false)
            .section(
                "--Lua Rules\nRules.disable(\"notuptodate_server\")\nRules.disable(\"ip_failre\")",
                7,
                1)
            .compile();
    List<ConfigurationError> e = c.errors();
    assertEquals(2, e.size());
    assertEquals(8, e.get(0).line());
    assertEquals(15, e.get(0).column());
    assertTrue(e.get(0).message().contains("notuptodate_server is an internal rule"));
    assertEquals("Rules.disable: no rule is named ip_failre", e.get(1).message());
    assertEquals("did you mean 'ip_failure'?", e.get(1).suggestion());
  }
}
