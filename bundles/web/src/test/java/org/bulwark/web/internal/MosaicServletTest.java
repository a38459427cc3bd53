package org.bulwark.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleKind;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStatus;
import org.junit.Test;

public class MosaicServletTest {

  private static final ModuleRegistry FARM_UP =
      new ModuleRegistry() {
        private final ModuleStatus farm =
            new ModuleStatus(
                "farm", 2, ModuleKind.FARM, LocalState.of(ModuleState.UP, Readiness.READY));

        @Override
        public List<ModuleStatus> modules() {
          return List.of(farm);
        }

        @Override
        public Optional<ModuleStatus> module(String name) {
          return name.equals("farm") ? Optional.of(farm) : Optional.empty();
        }
      };

  @Test
  public void answersTheNodeAndTheModuleStateHere() {
    assertEquals(
        "{\"node\":\"node2\",\"address\":\"10.0.0.2\",\"module\":\"farm\",\"state\":\"UP Ready\"}",
        MosaicServlet.who("node2", "10.0.0.2", "farm", FARM_UP));
    assertEquals(
        "{\"node\":\"node2\",\"address\":\"10.0.0.2\",\"module\":\"web\",\"state\":\"not installed\"}",
        MosaicServlet.who("node2", "10.0.0.2", "web", FARM_UP));
  }

  @Test
  public void withoutAValidModuleOnlyTheNode() {
    assertEquals(
        "{\"node\":\"n1\",\"address\":\"10.0.0.1\"}",
        MosaicServlet.who("n1", "10.0.0.1", null, FARM_UP));
    assertEquals(
        "{\"node\":\"n1\",\"address\":\"10.0.0.1\"}",
        MosaicServlet.who("n1", "10.0.0.1", "../etc", FARM_UP));
    assertEquals(
        "{\"node\":\"n1\",\"address\":\"10.0.0.1\"}",
        MosaicServlet.who("n1", "10.0.0.1", "<script>", null));
  }

  @Test
  public void thePageAsksEachTileOnItsOwnConnectionOfTheSameHost() throws Exception {
    String page = MosaicServlet.pageText();
    assertTrue(page.contains("fetch(\"mosaic/\" + url"));
    assertTrue(page.contains("const TILES = 256"));
  }
}
