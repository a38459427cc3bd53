package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** When a primary vouches for a {@code swap nosync} without comparing the trees (spec C.10). */
public class SwapNosyncRefusalTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static Msg.Hello hello(long syncId, List<long[]> hot) {
    return new Msg.Hello("m", "n1", 0, SwapNosync.POLICY, syncId, List.of("/d"), hot);
  }

  @Test
  public void onlyTheFirstSessionOfAPairThatSharesItsPointWithNothingElseDue() throws Exception {
    SyncState sync = SyncState.load(tmp.getRoot().toPath().resolve("sync.properties"), "sig");
    sync.record(42);
    RfssyncPolicy plain = RfssyncPolicy.DEFAULT;
    RfssyncPolicy full = RfssyncPolicy.parse(List.of("full"), 0).orElseThrow();
    List<long[]> none = List.of();

    assertNull(SwapNosync.refusal(sync, hello(42, none), false, true, plain));
    String noPoint = "no shared synchronisation point, or a full copy is due";
    assertEquals(noPoint, SwapNosync.refusal(sync, hello(7, none), false, true, plain));
    assertEquals(noPoint, SwapNosync.refusal(sync, hello(0, none), false, true, plain));
    assertEquals(noPoint, SwapNosync.refusal(sync, hello(42, none), true, true, plain));
    assertEquals(
        "the rfssync policy FULL applies",
        SwapNosync.refusal(sync, hello(42, none), false, true, full));
    assertEquals(
        "the secondary recorded 1 zones of its own",
        SwapNosync.refusal(sync, hello(42, List.of(new long[] {0, 12, 3})), false, true, plain));
    assertEquals(
        "not the first session since this node became primary",
        SwapNosync.refusal(sync, hello(42, none), false, false, plain));
  }
}
