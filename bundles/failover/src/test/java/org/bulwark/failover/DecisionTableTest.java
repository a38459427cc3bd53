package org.bulwark.failover;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.Test;

/**
 * Table-driven: each row is a snapshot of resources and the decisions of one evaluation, with
 * {@code handle_time} 0 so that a rule that holds fires at once (stability has its own test).
 */
public class DecisionTableTest {

  private record Row(String name, ResourceSnapshot snapshot, String expected) {}

  private static Row row(String name, ResourceSnapshot snapshot, String expected) {
    return new Row(name, snapshot, expected);
  }

  /** A mirror with replication, syncdelta, syncat and the guide's checkers. */
  private static RuleSet mirrorRules() {
    return FailoverRules.mirror()
        .replication(true, true, true)
        .timing(Duration.ofMillis(5000), Duration.ZERO)
        .checker("t_db", "tcp.db", FailoverAction.RESTART)
        .checker("p_gw", "ping.gw", FailoverAction.WAIT)
        .checker("c_app", "custom.app", FailoverAction.STOPSTART)
        .section(
            "custom_failure: if (custom.AppChecker == down) then stopstart();\n"
                + "both_down: if (remote.tcp.db == down && tcp.db == down) then stop();\n"
                + "load: if (connections.10.0.0.1 > 80%) then swap();",
            10, 5)
        .compile()
        .orThrow();
  }

  private static final String SYNCED = " rfs.uptodate=up rfs.syncat=up state.local=PRIM";

  private static final List<Row> MIRROR =
      List.of(
          row("all up: nothing", Rows.both("tcp.db=up ping.gw=up" + SYNCED, "rfs.uptodate=up"), ""),
          row(
              "tcp down: generated restart",
              Rows.both("tcp.db=down" + SYNCED, "rfs.uptodate=up"),
              "t_db: restart()"),
          row("tcp init: nothing yet", Rows.both("tcp.db=init" + SYNCED, "rfs.uptodate=up"), ""),
          row(
              "ping down: generated wait",
              Rows.both("ping.gw=down" + SYNCED, "rfs.uptodate=up"),
              "p_gw: wait()"),
          row(
              "custom down: generated stopstart",
              Rows.both("custom.app=down" + SYNCED, "rfs.uptodate=up"),
              "c_app: stopstart()"),
          row(
              "user rule on custom.AppChecker",
              Rows.both("custom.AppChecker=down" + SYNCED, "rfs.uptodate=up"),
              "custom_failure: stopstart()"),
          row(
              "wait outweighs restart",
              Rows.both("tcp.db=down ping.gw=down" + SYNCED, "rfs.uptodate=up"),
              "p_gw: wait()"),
          row(
              "stop outweighs wait",
              Rows.both("tcp.db=down ping.gw=down" + SYNCED, "rfs.uptodate=up tcp.db=down"),
              "both_down: stop()"),
          row(
              "remote tcp down alone: nothing",
              Rows.both("tcp.db=up" + SYNCED, "tcp.db=down rfs.uptodate=up"),
              ""),
          row(
              "module.? down: module_failure",
              Rows.both("module.other_10.0.0.2=down module.b=up" + SYNCED, "rfs.uptodate=up"),
              "module_failure: wait()"),
          row(
              "intf.? down: interface_failure",
              Rows.both("intf.ip.0=down" + SYNCED, "rfs.uptodate=up"),
              "interface_failure: wait()"),
          row(
              "ip.? down: ip_failure",
              Rows.both("ip.10.0.0.1=down" + SYNCED, "rfs.uptodate=up"),
              "ip_failure: stopstart()"),
          row(
              "splitbrain.uptodate down",
              Rows.both("splitbrain.uptodate=down splitbrain.witness=down" + SYNCED, null),
              "splitbrain_failure: wait()"),
          row(
              "splitbrain.witness down alone: nothing",
              Rows.both("splitbrain.witness=down" + SYNCED, "rfs.uptodate=up"),
              ""),
          row(
              "not up to date, peer unknown: notuptodate_server",
              Rows.both("state.local=WAIT rfs.uptodate=down rfs.syncat=up heartbeat.0=up", null),
              "notuptodate_server: wait()"),
          row(
              "not up to date, peer not up to date either (first start): notuptodate_server",
              Rows.both("state.local=WAIT rfs.uptodate=down rfs.syncat=up", "rfs.uptodate=down"),
              "notuptodate_server: wait()"),
          row(
              "not up to date, peer up to date: no wait, becomes SECOND",
              Rows.both("state.local=WAIT rfs.uptodate=down rfs.syncat=up", "rfs.uptodate=up"),
              ""),
          row(
              "peer degraded: degraded_server",
              Rows.both(
                  "state.local=SECOND rfs.uptodate=down rfs.syncat=up",
                  "rfs.degraded=up rfs.uptodate=up"),
              "degraded_server: wait()"),
          row(
              "isolated and recently synced: rfs_forceuptodate",
              Rows.both(
                      "state.local=WAIT rfs.uptodate=down rfs.synced=up rfs.syncat=up heartbeat.0=down heartbeat.flow=down",
                      null)
                  .withCluster("down"),
              "rfs_forceuptodate: rfs.uptodate=up"),
          row(
              "one heartbeat left: no forceuptodate",
              Rows.both(
                      "state.local=WAIT rfs.uptodate=down rfs.synced=up rfs.syncat=up heartbeat.0=down heartbeat.flow=up",
                      null)
                  .withCluster("down"),
              "notuptodate_server: wait()"),
          row(
              "SECOND outside its syncat window: rfs_syncat_wait",
              Rows.both(
                  "state.local=SECOND state.remote=PRIM rfs.uptodate=up rfs.syncat=down",
                  "rfs.uptodate=up"),
              "rfs_syncat_wait: wait()"),
          row(
              "WAIT before a primary outside the window: rfs_syncat_wait",
              Rows.both(
                  "state.local=WAIT state.remote=ALONE rfs.uptodate=up rfs.syncat=down",
                  "rfs.uptodate=up"),
              "rfs_syncat_wait: wait()"),
          row(
              "PRIM outside the window: nothing",
              Rows.both(
                  "state.local=PRIM state.remote=SECOND rfs.uptodate=up rfs.syncat=down",
                  "rfs.uptodate=up"),
              ""),
          row(
              "load share above 80%",
              Rows.both("connections.10.0.0.1=85%" + SYNCED, "rfs.uptodate=up"), "load: swap()"),
          row(
              "load share at 80%",
              Rows.both("connections.10.0.0.1=80" + SYNCED, "rfs.uptodate=up"), ""));

  @Test
  public void mirrorRows() {
    check(mirrorRules(), MIRROR);
  }

  private static final List<Row> FARM =
      List.of(
          row("nothing", Rows.local("tcp.web=up"), ""),
          row("every ip down", Rows.local("ip.a=down ip.b=down"), "allip_failure: stopstart()"),
          row("one ip of two down: ip_failure disabled", Rows.local("ip.a=down ip.b=up"), ""),
          row("no ip at all: '*' needs one", Rows.local("tcp.web=up"), ""),
          row("not (tcp up): negation", Rows.local("tcp.web=down"), "web: restart()"),
          row("tcp init: negation of up holds", Rows.local("tcp.web=init"), "web: restart()"),
          row("unknown resource: nothing", Rows.local("proc.x=down"), ""),
          row("intf.? down", Rows.local("intf.lan=down tcp.web=up"), "interface_failure: wait()"),
          row(
              "parentheses and ||",
              Rows.local("tcp.web=up custom.a=down custom.b=up"),
              "either: stop()"));

  @Test
  public void farmRows() {
    RuleSet rules =
        FailoverRules.farm()
            .timing(Duration.ofMillis(1000), Duration.ZERO)
            .section(
                "--Lua Rules\nRules.disable(\"ip_failure\")\n"
                    + "Rules = Rules + { web=if_then(\"tcp.web\",\"down\",Action.restart), _group=\"checker\" }",
                3,
                1)
            .section(
                "allip_failure: if (ip.* == down) then stopstart();\n"
                    + "either: if ((custom.a == down || custom.b == down) && !(tcp.web != up)) then stop();",
                8,
                1)
            .compile()
            .orThrow();
    // the Lua web rule reads tcp.web == down; "not (tcp up)" is expressed by a native rule below
    RuleSet withNegation =
        FailoverRules.farm()
            .timing(Duration.ofMillis(1000), Duration.ZERO)
            .section("--Lua Rules\nRules.disable(\"ip_failure\")", 3, 1)
            .section(
                "allip_failure: if (ip.* == down) then stopstart();\n"
                    + "web: if (!(tcp.web == up) && tcp.? != up) then restart();\n"
                    + "either: if ((custom.a == down || custom.b == down) && !(tcp.web != up)) then stop();",
                8,
                1)
            .compile()
            .orThrow();
    check(withNegation, FARM);
    assertEquals(
        List.of("web: restart()"),
        strings(new FailoverMachine(rules).evaluate(Rows.local("tcp.web=down"), 0)));
  }

  @Test
  public void checkerIdentsWithDotsAndDashes() {
    RuleSet rules =
        FailoverRules.farm()
            .timing(Duration.ofMillis(1000), Duration.ZERO)
            .checker("t_db.eu-1", "tcp.db.eu-1", FailoverAction.STOPSTART)
            .compile()
            .orThrow();
    assertEquals(
        List.of("t_db.eu-1: stopstart()"),
        strings(new FailoverMachine(rules).evaluate(Rows.local("tcp.db.eu-1=down"), 0)));
    FailoverRules.Compiled bad =
        FailoverRules.farm().checker("t_my db", "tcp.my db", FailoverAction.WAIT).compile();
    assertEquals("/safe/service/check", bad.errors().get(0).path());
    assertTrue(
        bad.errors()
            .get(0)
            .message()
            .startsWith("the checker's ident cannot name a resource in rule t_my db"));
  }

  private static void check(RuleSet rules, List<Row> rows) {
    for (Row r : rows) {
      FailoverMachine m = new FailoverMachine(rules);
      List<Decision> d = m.evaluate(r.snapshot(), 0);
      assertEquals(r.name(), r.expected(), String.join(", ", strings(d)));
    }
  }

  static List<String> strings(List<Decision> decisions) {
    return decisions.stream().map(Decision::toString).toList();
  }
}
