package org.bulwark.failover;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The module log lines of the guide's log index (spec B.19 "Log forms"). */
public class LogLinesTest {

  @Test
  public void actionLines() {
    assertEquals(
        "Action wait from failover rule p_id",
        Decision.command("p_id", FailoverAction.WAIT, false).logLine());
    assertEquals(
        "Action wait from failover rule notuptodate_server",
        Decision.command("notuptodate_server", FailoverAction.WAIT, false).logLine());
    assertEquals(
        "Action stopstart from failover rule c_id",
        Decision.command("c_id", FailoverAction.STOPSTART, false).logLine());
    assertEquals(
        "Action restart from failover rule t_id",
        Decision.command("t_id", FailoverAction.RESTART, false).logLine());
    assertEquals(
        "Action wakeup from failover rule Implicit_wakeup",
        Decision.command(Decision.IMPLICIT_WAKEUP, FailoverAction.WAKEUP, false).logLine());
    assertEquals(
        "Resource rfs.uptodate set to up by failover rule rfs_forceuptodate",
        Decision.set("rfs_forceuptodate", "rfs.uptodate", "up").logLine());
  }

  @Test
  public void transitionLines() {
    assertEquals(
        "Transition WAIT_TR from failover rule interface_failure",
        Decision.command("interface_failure", FailoverAction.WAIT, false).transitionLine());
    assertEquals(
        "Transition RESTART from failover rule customid_failure",
        Decision.command("customid_failure", FailoverAction.RESTART, false).transitionLine());
    assertEquals(
        "Transition STOPSTART from failover rule customid_failure",
        Decision.command("customid_failure", FailoverAction.STOPSTART, false).transitionLine());
    assertEquals("", Decision.command("x", FailoverAction.WAKEUP, false).transitionLine());
  }

  @Test
  public void maxloopCountsTheCommandsGivenWithTheRulesIdentity() {
    assertTrue(FailoverAction.RESTART.countsForLoop());
    assertTrue(FailoverAction.STOPSTART.countsForLoop());
    assertTrue(FailoverAction.WAIT.countsForLoop());
    assertTrue(FailoverAction.STOP.countsForLoop());
    assertTrue(FailoverAction.SWAP.countsForLoop());
    assertFalse(FailoverAction.WAKEUP.countsForLoop());
    assertFalse(FailoverAction.SET_RESOURCE.countsForLoop());
    assertTrue(Decision.command("p_gw", FailoverAction.WAIT, false).countsForLoop());
    assertFalse(
        Decision.command("rfs_syncat_wait", FailoverAction.WAIT, false)
            .asInternal()
            .countsForLoop());
  }
}
