package org.bulwark.config.internal;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bulwark.api.config.ModuleConfig;
import org.junit.Test;

/** Macros between {@code <!DOCTYPE safe>} and {@code <safe>} still work (spec B.2). */
public class LeadingMacrosTest {

  @Test
  public void macrosBeforeSafeAreReadWithTheirOwnPositions() {
    String text = TestFiles.text("good/farm-macros-before-safe.userconfig.xml");
    ModuleConfig config =
        TestFiles.SERVICE
            .parseModule("u.xml", text.getBytes(StandardCharsets.UTF_8), TestFiles.CONTEXT)
            .orElseThrow();
    assertEquals("192.168.1.20", config.macros().get("VIRTUAL_IP"));
    assertEquals("192.168.1.20", config.vip().orElseThrow().addresses().get(0).addr());
    assertEquals(80, config.check().tcp().get(0).port());

    String bad = text.replace("<macro name=\"APACHE_PORT\"", "<macro nme=\"APACHE_PORT\"");
    assertEquals(
        List.of(
            "u.xml:3:1: /safe/macro[2]: missing required attribute 'name' on <macro>",
            "u.xml:3:8: /safe/macro[2]/@nme: unknown attribute 'nme' on <macro>; expected one of: "
                + "name, value (did you mean 'name'?)",
            "u.xml:24:7: /safe/service/vip/loadbalancing_list/group/rule/@port: undefined macro "
                + "%APACHE_PORT%: no <macro name=\"APACHE_PORT\"> and no environment variable "
                + "APACHE_PORT",
            "u.xml:34:1: /safe/service/check/tcp/to/@port: undefined macro %APACHE_PORT%: no "
                + "<macro name=\"APACHE_PORT\"> and no environment variable APACHE_PORT"),
        SeedConfigurationTest.formatted(
            TestFiles.SERVICE
                .parseModule("u.xml", bad.getBytes(StandardCharsets.UTF_8), TestFiles.CONTEXT)
                .errors()));
  }

  @Test
  public void somethingElseBeforeSafeIsAnError() {
    String text =
        "<!DOCTYPE safe>\n<macro name=\"A\" value=\"1\"/>\n<farm/>\n<safe><service "
            + "mode=\"farm\"><farm><lan name=\"default\"/></farm></service></safe>\n";
    assertEquals(
        List.of(
            "u.xml:3:1: /farm: only <macro> elements may come before <safe>, and "
                + "nothing after it"),
        SeedConfigurationTest.formatted(
            TestFiles.SERVICE
                .parseModule("u.xml", text.getBytes(StandardCharsets.UTF_8), TestFiles.CONTEXT)
                .errors()));
  }
}
