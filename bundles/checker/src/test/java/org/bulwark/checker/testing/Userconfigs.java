package org.bulwark.checker.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.config.internal.XmlConfigService;

/** The checker context of a mirror module {@code AM} whose {@code <service>} holds {@code body}. */
public final class Userconfigs {
  private Userconfigs() {}

  public static CheckerContext context(String body, Path bin) {
    String xml =
        "<!DOCTYPE safe>\n<safe>\n<service mode=\"mirror\">\n"
            + "<heart><heartbeat name=\"default\" ident=\"hb\"/></heart>\n"
            + body
            + "\n</service>\n</safe>\n";
    ModuleConfig config =
        new XmlConfigService()
            .parseModule(
                "userconfig.xml",
                xml.getBytes(StandardCharsets.UTF_8),
                ModuleContext.standalone("AM"))
            .orElseThrow();
    return new CheckerContext(config, bin, Map.of());
  }
}
