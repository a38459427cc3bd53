package org.bulwark.failover;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.Test;

/**
 * The meaning of conditions (spec B.19), one row each: a condition, the resources, and whether it
 * holds. Each row compiles {@code r: if (condition) then stop();} with extends="no" and handle_time
 * 0, and looks for its stop.
 */
public class ConditionTableTest {

  private record Row(String condition, ResourceSnapshot snapshot, boolean holds) {}

  private static Row row(String condition, ResourceSnapshot snapshot, boolean holds) {
    return new Row(condition, snapshot, holds);
  }

  private static final ResourceSnapshot PEER_AWAY = Rows.both("heartbeat.0=down", null);

  private static final List<Row> ROWS =
      List.of(
          // '?' is some resource of the class, '*' every one and at least one
          row("intf.? == down", Rows.local("intf.a=up intf.b=down"), true),
          row("intf.? == down", Rows.local("intf.a=up intf.b=up"), false),
          row("intf.? == down", Rows.local("tcp.a=down"), false),
          row("intf.* == down", Rows.local("intf.a=down intf.b=down"), true),
          row("intf.* == down", Rows.local("intf.a=down intf.b=up"), false),
          row("intf.* == down", Rows.local("tcp.a=down"), false),
          row("intf.? != up", Rows.local("intf.a=up intf.b=init"), true),
          row("intf.* != up", Rows.local("intf.a=down intf.b=init"), true),
          // names with dots, local. prefix, classes that prefix others
          row("intf.ip.0 == down", Rows.local("intf.ip.0=down"), true),
          row("local.intf.ip.0 == down", Rows.local("intf.ip.0=down"), true),
          row("module.othermodule_ip == up", Rows.local("module.othermodule_ip=up"), true),
          row("heart.? == down", Rows.local("heartbeat.0=down"), false),
          // a resource that does not exist makes any comparison false
          row("tcp.db == down", Rows.local("tcp.web=down"), false),
          row("tcp.db != down", Rows.local("tcp.web=down"), false),
          row("!(tcp.db == up)", Rows.local(""), true),
          // init is a value of its own
          row("tcp.db == down", Rows.local("tcp.db=init"), false),
          row("tcp.db == init", Rows.local("tcp.db=init"), true),
          // a peer not heard from: every remote reference reads unknown
          row("remote.rfs.uptodate == unknown", PEER_AWAY, true),
          row("remote.rfs.uptodate != up", PEER_AWAY, true),
          row("remote.heartbeat.* == unknown", PEER_AWAY, true),
          row("remote.rfs.uptodate == up", Rows.both("", "rfs.uptodate=up"), true),
          row("remote.rfs.uptodate != up", Rows.both("", "tcp.x=up"), false),
          row(
              "rfs.uptodate == remote.rfs.uptodate",
              Rows.both("rfs.uptodate=up", "rfs.uptodate=up"),
              true),
          row(
              "rfs.uptodate != remote.rfs.uptodate",
              Rows.both("rfs.uptodate=up", "rfs.uptodate=down"),
              true),
          // cluster()
          row("cluster() == down", PEER_AWAY.withCluster("down"), true),
          row("cluster() == down", PEER_AWAY, false),
          // states on either side, numbers and percentages
          row("down == tcp.db", Rows.local("tcp.db=down"), true),
          row("state.local == PRIM", Rows.local("state.local=PRIM"), true),
          row("connections.10.0.0.1 == 50%", Rows.local("connections.10.0.0.1=50.0%"), true),
          row("rfs.rep_bandwidth > 1000", Rows.local("rfs.rep_bandwidth=1500"), true),
          row("rfs.rep_bandwidth <= 1000", Rows.local("rfs.rep_bandwidth=1500"), false),
          row("1000 < rfs.rep_bandwidth", Rows.local("rfs.rep_bandwidth=1500"), true),
          row("rfs.rep_bandwidth > 1000", Rows.local("rfs.rep_bandwidth=up"), false),
          // precedence: ! binds tighter than &&, && tighter than ||
          row(
              "tcp.a == up || tcp.b == up && tcp.c == up",
              Rows.local("tcp.a=up tcp.b=down tcp.c=down"),
              true),
          row(
              "(tcp.a == up || tcp.b == up) && tcp.c == up",
              Rows.local("tcp.a=up tcp.b=down tcp.c=down"),
              false),
          row("!tcp.a == up && tcp.b == down", Rows.local("tcp.a=down tcp.b=down"), true),
          row("!(tcp.a == up && tcp.b == down)", Rows.local("tcp.a=up tcp.b=down"), false));

  @Test
  public void rows() {
    for (Row r : ROWS) {
      RuleSet rules =
          FailoverRules.mirror()
              .extendsDefaults(false)
              .timing(Duration.ofMillis(1000), Duration.ZERO)
              .section("r: if (" + r.condition() + ") then stop();", 1, 1)
              .compile()
              .orThrow();
      List<Decision> d = new FailoverMachine(rules).evaluate(r.snapshot(), 0);
      boolean fired = d.stream().anyMatch(x -> x.rule().equals("r"));
      assertEquals(r.condition() + " over " + r.snapshot(), r.holds(), fired);
    }
  }
}
