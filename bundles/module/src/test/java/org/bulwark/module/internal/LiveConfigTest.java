package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

public class LiveConfigTest {

  @Test
  public void saysWhatTakesEffectNowAndWhatAtTheNextStart() {
    assertEquals(
        "Configuration applied while running: no change",
        new LiveConfig(List.of(), List.of()).message());
    assertEquals(
        "Configuration applied while running: user in effect now",
        new LiveConfig(List.of("user"), List.of()).message());
    assertEquals(
        "Configuration applied while running: heart, check at the module's next start",
        new LiveConfig(List.of(), List.of("heart", "check")).message());
    assertEquals(
        "Configuration applied while running: service@boot, user in effect now;"
            + " service@maxloop at the module's next start",
        new LiveConfig(List.of("service@boot", "user"), List.of("service@maxloop")).message());
  }
}
