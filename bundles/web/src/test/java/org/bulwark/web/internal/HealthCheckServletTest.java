package org.bulwark.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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

public class HealthCheckServletTest {

  private static ModuleRegistry with(String name, ModuleKind kind, ModuleState s, Readiness r) {
    ModuleStatus status = new ModuleStatus(name, 1, kind, LocalState.of(s, r));
    return new ModuleRegistry() {
      @Override
      public List<ModuleStatus> modules() {
        return List.of(status);
      }

      @Override
      public Optional<ModuleStatus> module(String n) {
        return n.equals(name) ? Optional.of(status) : Optional.empty();
      }
    };
  }

  @Test
  public void okForPrimaryStatesWhenReady() {
    String url = "/var/modules/m/ready.txt";
    assertTrue(
        HealthCheckServlet.healthy(
            url, with("m", ModuleKind.MIRROR, ModuleState.PRIM, Readiness.READY)));
    assertTrue(
        HealthCheckServlet.healthy(
            url, with("m", ModuleKind.MIRROR, ModuleState.ALONE, Readiness.READY)));
    assertTrue(
        HealthCheckServlet.healthy(
            url, with("m", ModuleKind.FARM, ModuleState.UP, Readiness.READY)));
  }

  @Test
  public void notFoundOtherwise() {
    String url = "/var/modules/m/ready.txt";
    assertFalse(
        HealthCheckServlet.healthy(
            url, with("m", ModuleKind.MIRROR, ModuleState.SECOND, Readiness.READY)));
    assertFalse(
        HealthCheckServlet.healthy(
            url, with("m", ModuleKind.MIRROR, ModuleState.PRIM, Readiness.TRANSIENT)));
    assertFalse(
        HealthCheckServlet.healthy(
            url, with("m", ModuleKind.FARM, ModuleState.STOP, Readiness.NOT_READY)));
    assertFalse(
        HealthCheckServlet.healthy(
            "/var/modules/other/ready.txt",
            with("m", ModuleKind.FARM, ModuleState.UP, Readiness.READY)));
    assertFalse(
        HealthCheckServlet.healthy(
            "/var/modules/m/other.txt",
            with("m", ModuleKind.FARM, ModuleState.UP, Readiness.READY)));
    assertFalse(HealthCheckServlet.healthy(url, null));
  }

  @Test
  public void theReadyModuleNamesItsReadyPeriod() {
    ModuleStatus status =
        new ModuleStatus(
            "m",
            1,
            ModuleKind.FARM,
            LocalState.of(ModuleState.UP, Readiness.READY),
            1733380000000L,
            3);
    ModuleRegistry registry =
        new ModuleRegistry() {
          @Override
          public List<ModuleStatus> modules() {
            return List.of(status);
          }

          @Override
          public Optional<ModuleStatus> module(String n) {
            return Optional.of(status);
          }
        };
    assertEquals(
        "1733380000000-3",
        HealthCheckServlet.ready("/var/modules/m/ready.txt", registry).get().readyTag());
  }
}
