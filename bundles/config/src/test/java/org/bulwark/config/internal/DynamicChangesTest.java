package org.bulwark.config.internal;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bulwark.api.config.Dynamic;
import org.bulwark.api.config.ModuleConfig;
import org.junit.Test;

/** Spec B.0: which edits a running module may take ({@link Dynamic#staticChanges}). */
public class DynamicChangesTest {

  private static ModuleConfig parse(String text) {
    return TestFiles.SERVICE
        .parseModule("u.xml", text.getBytes(StandardCharsets.UTF_8), TestFiles.CONTEXT)
        .orElseThrow();
  }

  @Test
  public void dynamicEditsNeedNoStop() {
    String base = TestFiles.text("good/full-mirror.userconfig.xml");
    String edited =
        base.replace("maxloop=\"5\"", "maxloop=\"9\"")
            .replace("pulse=\"1s\"", "pulse=\"2s\"")
            .replace("async=\"none\"", "async=\"second\"")
            .replace("nbrei=\"8\"", "nbrei=\"4\"")
            .replace("polltimer=\"10s\"", "polltimer=\"20s\"")
            .replace("<var name=\"PGDATA\"", "<var name=\"PGDATA2\"")
            .replace("interval=\"20\"", "interval=\"30\"");
    assertEquals(List.of(), Dynamic.staticChanges(parse(base), parse(edited)));
  }

  @Test
  public void staticEditsAreNamed() {
    String base = TestFiles.text("good/full-mirror.userconfig.xml");
    String edited =
        base.replace("failover=\"off\"", "failover=\"on\"")
            .replace("tcpreset=\"off\"", "tcpreset=\"on\"")
            .replace("acl=\"on\"", "acl=\"off\"")
            .replace("name=\"pgcluster\"", "name=\"pg\"")
            .replace("period=\"2s\"", "period=\"5s\"");
    assertEquals(
        List.of(
            "/safe/service/@failover",
            "/safe/service/vip",
            "/safe/service/rfs",
            "/safe/service/vhost",
            "/safe/service/failover"),
        Dynamic.staticChanges(parse(base), parse(edited)));
  }
}
