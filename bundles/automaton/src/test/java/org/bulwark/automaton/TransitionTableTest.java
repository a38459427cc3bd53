package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.ALONE;
import static org.bulwark.api.module.ModuleState.PRIM;
import static org.bulwark.api.module.ModuleState.SECOND;
import static org.bulwark.api.module.ModuleState.UP;
import static org.bulwark.api.module.ModuleState.WAIT;
import static org.bulwark.api.module.Readiness.NOT_READY;
import static org.bulwark.api.module.Readiness.READY;
import static org.bulwark.api.module.Readiness.TRANSIENT;
import static org.bulwark.automaton.Run.cmd;
import static org.bulwark.automaton.Run.ls;
import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.function.Supplier;
import org.bulwark.api.module.LocalState;
import org.junit.Test;

/**
 * Every administrative command in every stable state, mirror and farm: accepted or refused, and the
 * state it leads to (spec F.3, C.2, D.1). One row per (state, command).
 */
public class TransitionTableTest {

  private record Row(String from, Verb verb, boolean accepted, LocalState to) {}

  private static final ServiceSettings NODE1 = ServiceSettings.defaults("node1");

  private static Run mirrorIn(String name) {
    switch (name) {
      case "STOP NotReady" -> {
        Run r = Run.mirror(NODE1, Run.UPTODATE);
        r.on(Run.peerGone("no heartbeat"));
        return r;
      }
      case "WAIT NotReady" -> {
        Run r = Run.mirror(NODE1, Run.STALE);
        r.on(Run.peerGone("no heartbeat"));
        r.on(cmd(Verb.START));
        return r;
      }
      case "ALONE Ready" -> {
        return MirrorGoldenTest.aloneReady(NODE1);
      }
      case "PRIM Ready" -> {
        Run r = MirrorGoldenTest.primReady();
        r.on(Run.peer(SECOND, READY, r.mirror.data().generation(), 1));
        return r;
      }
      case "SECOND Ready" -> {
        return MirrorGoldenTest.secondReady(NODE1);
      }
      default -> throw new IllegalArgumentException(name);
    }
  }

  private static final LocalState STOPPED = LocalState.STOPPED;

  private static final List<Row> MIRROR =
      List.of(
          new Row("STOP NotReady", Verb.START, true, ls(ALONE, READY)),
          new Row("STOP NotReady", Verb.STOP, true, STOPPED),
          new Row("STOP NotReady", Verb.PRIM, true, ls(ALONE, READY)),
          new Row("STOP NotReady", Verb.PRIMFORCE, true, ls(ALONE, READY)),
          new Row("STOP NotReady", Verb.SECOND, false, STOPPED),
          new Row("STOP NotReady", Verb.SECONDFORCE, false, STOPPED),
          new Row("STOP NotReady", Verb.RESTART, false, STOPPED),
          new Row("STOP NotReady", Verb.STOPSTART, false, STOPPED),
          new Row("STOP NotReady", Verb.SWAP, false, STOPPED),
          new Row("STOP NotReady", Verb.WAIT, false, STOPPED),
          new Row("STOP NotReady", Verb.FAILOVER_OFF, true, STOPPED),
          new Row("WAIT NotReady", Verb.START, false, ls(WAIT, NOT_READY)),
          new Row("WAIT NotReady", Verb.STOP, true, STOPPED),
          new Row("WAIT NotReady", Verb.FORCESTOP, true, STOPPED),
          new Row("WAIT NotReady", Verb.PRIM, false, ls(WAIT, NOT_READY)),
          new Row("WAIT NotReady", Verb.RESTART, false, ls(WAIT, NOT_READY)),
          new Row("WAIT NotReady", Verb.SWAP, false, ls(WAIT, NOT_READY)),
          new Row("WAIT NotReady", Verb.STOPSTART, true, ls(WAIT, NOT_READY)),
          new Row("ALONE Ready", Verb.START, false, ls(ALONE, READY)),
          new Row("ALONE Ready", Verb.RESTART, true, ls(ALONE, READY)),
          new Row("ALONE Ready", Verb.STOP, true, STOPPED),
          new Row("ALONE Ready", Verb.SHUTDOWN, true, STOPPED),
          new Row("ALONE Ready", Verb.FORCESTOP, true, STOPPED),
          new Row("ALONE Ready", Verb.STOPSTART, true, ls(ALONE, READY)),
          new Row("ALONE Ready", Verb.SWAP, false, ls(ALONE, READY)),
          new Row("ALONE Ready", Verb.PRIM, false, ls(ALONE, READY)),
          new Row("ALONE Ready", Verb.WAIT, true, ls(WAIT, NOT_READY)),
          new Row("PRIM Ready", Verb.RESTART, true, ls(PRIM, READY)),
          new Row("PRIM Ready", Verb.STOP, true, STOPPED),
          new Row("PRIM Ready", Verb.SWAP, true, ls(SECOND, TRANSIENT)),
          new Row("PRIM Ready", Verb.SECOND, false, ls(PRIM, READY)),
          new Row("PRIM Ready", Verb.WAIT, true, ls(WAIT, NOT_READY)),
          new Row("SECOND Ready", Verb.RESTART, true, ls(SECOND, READY)),
          new Row("SECOND Ready", Verb.STOP, true, STOPPED),
          new Row("SECOND Ready", Verb.SWAP, true, ls(SECOND, READY)),
          new Row("SECOND Ready", Verb.PRIM, false, ls(SECOND, READY)),
          new Row("SECOND Ready", Verb.WAIT, true, ls(WAIT, NOT_READY)),
          new Row("SECOND Ready", Verb.FAILOVER_OFF, true, ls(SECOND, READY)));

  @Test
  public void mirrorCommandsInEveryStableState() {
    for (Row row : MIRROR) {
      check(row, () -> mirrorIn(row.from));
    }
  }

  private static final List<Row> FARM =
      List.of(
          new Row("STOP NotReady", Verb.START, true, ls(UP, READY)),
          new Row("STOP NotReady", Verb.STOP, true, STOPPED),
          new Row("STOP NotReady", Verb.RESTART, false, STOPPED),
          new Row("STOP NotReady", Verb.STOPSTART, false, STOPPED),
          new Row("STOP NotReady", Verb.WAIT, false, STOPPED),
          new Row("UP Ready", Verb.START, false, ls(UP, READY)),
          new Row("UP Ready", Verb.RESTART, true, ls(UP, READY)),
          new Row("UP Ready", Verb.STOPSTART, true, ls(UP, READY)),
          new Row("UP Ready", Verb.STOP, true, STOPPED),
          new Row("UP Ready", Verb.FORCESTOP, true, STOPPED),
          new Row("UP Ready", Verb.SHUTDOWN, true, STOPPED),
          new Row("UP Ready", Verb.WAIT, true, ls(WAIT, NOT_READY)),
          new Row("UP Ready", Verb.WAKEUP, true, ls(UP, READY)),
          new Row("UP Ready", Verb.PRIM, false, ls(UP, READY)),
          new Row("WAIT NotReady", Verb.WAKEUP, true, ls(UP, READY)),
          new Row("WAIT NotReady", Verb.RESTART, false, ls(WAIT, NOT_READY)),
          new Row("WAIT NotReady", Verb.STOP, true, STOPPED));

  @Test
  public void farmCommandsInEveryStableState() {
    for (Row row : FARM) {
      check(
          row,
          () -> {
            Run r = Run.farm(NODE1);
            if (!row.from.equals("STOP NotReady")) {
              r.on(cmd(Verb.START));
            }
            if (row.from.equals("WAIT NotReady")) {
              r.on(Event.Command.of(Verb.WAIT, Origin.rule("module_failure")));
            }
            return r;
          });
    }
  }

  private static void check(Row row, Supplier<Run> setup) {
    Run r = setup.get();
    assertEquals("setup " + row.from, row.from, r.local().toString());
    Event c =
        row.verb == Verb.WAIT || row.verb == Verb.WAKEUP
            ? Event.Command.of(
                row.verb, Origin.rule(row.verb == Verb.WAIT ? "module_failure" : "Implicit_wakeup"))
            : cmd(row.verb);
    Action.Reply reply = Run.reply(r.on(c));
    String what = row.from + " + " + row.verb.word() + " (" + reply.message() + ")";
    assertEquals(what + ": accepted", row.accepted, reply.accepted());
    assertEquals(what + ": state", row.to, r.local());
  }
}
