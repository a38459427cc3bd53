package org.bulwark.config.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.failover.Decision;
import org.bulwark.failover.FailoverMachine;
import org.bulwark.failover.FailoverRules;
import org.bulwark.failover.ResourceSnapshot;
import org.bulwark.failover.RuleSet;
import org.junit.Test;

/**
 * From a real {@code userconfig.xml}: the rules of its checkers and {@code <failover>}, and a bad
 * rule refused by the parse itself (what {@code confcheck} and {@code config} report).
 */
public class FailoverRulesTest {

  private static ConfigResult<ModuleConfig> result(String xml) {
    return new XmlConfigService()
        .parseModule(
            "userconfig.xml", xml.getBytes(StandardCharsets.UTF_8), ModuleContext.standalone("AM"));
  }

  private static ModuleConfig parse(String xml) {
    return result(xml).orElseThrow();
  }

  private static List<String> strings(List<Decision> decisions) {
    return decisions.stream().map(Decision::toString).toList();
  }

  private static final String HEAD =
      "<!DOCTYPE safe>\n"
          + "<safe>\n"
          + "<service mode=\"mirror\">\n"
          + "  <heart><heartbeat name=\"default\" ident=\"flow\"/></heart>\n"
          + "  <rfs syncdelta=\"10\"><replicated dir=\"/var/lib/data\"/></rfs>\n"
          + "  <check>\n"
          + "    <tcp ident=\"db\" when=\"prim\" action=\"restart\"><to addr=\"127.0.0.1\" port=\"5432\"/></tcp>\n"
          + "    <ping ident=\"gw\"><to addr=\"192.168.1.1\"/></ping>\n"
          + "    <custom ident=\"app\" when=\"prim\" exec=\"appcheck\"/>\n"
          + "  </check>\n";

  @Test
  public void rulesOfAValidFile() {
    ModuleConfig config =
        parse(
            HEAD
                + "  <failover handle_time=\"10s\" period=\"5s\"><![CDATA[\n"
                + "    c_app: if (custom.app == down) then stopstart();\n"
                + "  ]]></failover>\n"
                + "</service>\n</safe>\n");
    FailoverRules.Compiled c = FailoverRules.forModule(config, "userconfig.xml").compile();
    assertTrue(c.errors().toString(), c.ok());
    RuleSet rules = c.orThrow();
    assertEquals(10000, rules.handleTime().toMillis());
    assertEquals(
        List.of(
            "module_failure",
            "interface_failure",
            "ip_failure",
            "splitbrain_failure",
            "notuptodate_server",
            "degraded_server",
            "rfs_forceuptodate",
            "t_db",
            "p_gw",
            "c_app",
            "Implicit_wakeup"),
        rules.labels());
    assertEquals("userconfig.xml:12:5", rules.where("c_app"));
    FailoverMachine m = new FailoverMachine(rules);
    ResourceSnapshot s =
        ResourceSnapshot.of(
                Map.of("state.local", "PRIM", "rfs.uptodate", "up", "custom.app", "down"))
            .withRemote(Map.of("rfs.uptodate", "up"));
    m.tick(s, 0);
    m.tick(s, 5000);
    assertEquals(List.of("c_app: stopstart()"), strings(m.tick(s, 10000)));
  }

  @Test
  public void aBadRuleIsReportedWhereItIsInTheFile() {
    ConfigResult<ModuleConfig> refused =
        result(
            HEAD
                + "  <failover><![CDATA[ bad1: if (tcp.db == down) then restrat();\n"
                + "      bad2: if (tpc.db == down) then stop();\n"
                + "  ]]>\n"
                + "  <![CDATA[--Lua Rules\n"
                + "  print(\"hello\")\n"
                + "  ]]></failover>\n"
                + "</service>\n</safe>\n");
    assertTrue(refused instanceof ConfigResult.Invalid);
    List<ConfigurationError> e = refused.errors();
    assertEquals(e.toString(), 3, e.size());
    // line 11 starts "  <failover><![CDATA[ bad1: if (tcp.db == down) then restrat();"
    assertEquals(
        "userconfig.xml:11:54: /safe/service/failover: unknown action 'restrat'",
        e.get(0).format().substring(0, e.get(0).format().indexOf(": expected")));
    assertEquals("did you mean 'restart'?", e.get(0).suggestion());
    assertEquals(
        "userconfig.xml:12:17: /safe/service/failover: unknown resource class 'tpc' in tpc.db",
        e.get(1).format().substring(0, e.get(1).format().indexOf(": expected")));
    assertEquals(15, e.get(2).line());
    assertEquals(3, e.get(2).column());
    assertTrue(e.get(2).message().startsWith("unsupported Lua 'print'"));
  }

  @Test
  public void extendsNoKeepsOnlyTheInternalRules() {
    ModuleConfig config =
        parse(
            HEAD
                + "  <failover extends=\"no\"><![CDATA[\n"
                + "    mine: if (ping.gw == down) then stop();\n"
                + "  ]]></failover>\n"
                + "</service>\n</safe>\n");
    RuleSet rules = FailoverRules.forModule(config, "userconfig.xml").compile().orThrow();
    assertEquals(
        List.of(
            "notuptodate_server",
            "degraded_server",
            "rfs_forceuptodate",
            "mine",
            "Implicit_wakeup"),
        rules.labels());
  }
}
