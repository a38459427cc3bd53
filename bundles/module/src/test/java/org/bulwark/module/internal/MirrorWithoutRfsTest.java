package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.LIMIT;
import static org.bulwark.module.internal.MirrorRuntimes.is;

import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.junit.Rule;
import org.junit.Test;

/**
 * A mirror module with no {@code <rfs>} (a virtual IP and an application only): there is nothing to
 * copy, so a secondary is synchronised whenever it follows a primary, not only when it starts.
 */
public class MirrorWithoutRfsTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();

  /**
   * The primary stops hearing its secondary and goes on ALONE (a new generation) while the
   * secondary still hears it; heard again, it becomes PRIM. The secondary, which learnt that its
   * primary went on without it, is Ready again at once, and takes over when the primary dies:
   * before, it stayed SECOND Transient, and then waited NotReady ("Data may not be uptodate").
   */
  @Test
  public void aSecondaryIsSynchronisedAgainWhenItsPrimaryWentAloneAndCameBack() throws Exception {
    ModuleRuntime a = MirrorRuntimes.alone(pair.startA(pair.driver("n1")));
    ModuleRuntime b = pair.startB(pair.driver("n2"));
    MirrorRuntimes.secondOf(a, b);

    pair.heartbeats.b.crash(); // a no longer hears b; b still hears a
    MirrorRuntimes.await(a, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);
    pair.heartbeats.b.revive();
    MirrorRuntimes.await(a, s -> is(s, ModuleState.PRIM, Readiness.READY), LIMIT);
    MirrorRuntimes.await(b, s -> is(s, ModuleState.SECOND, Readiness.READY), LIMIT);

    pair.heartbeats.a.crash(); // the primary dies
    MirrorRuntimes.await(b, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);
  }
}
