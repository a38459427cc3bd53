package org.bulwark.deployer.internal;

import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.TreeMap;
import org.bulwark.api.deploy.ModuleHeaders;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Module bundles in the real framework (extender pattern, DESIGN.md): install + start for a new
 * module, update for a reconfiguration (the runtime sees it as a modified bundle), uninstall at
 * deconfiguration. The Bundle-Version grows with each update.
 */
final class OsgiModuleBundles implements ModuleBundles {

  private final BundleContext context;

  OsgiModuleBundles(BundleContext context) {
    this.context = context;
  }

  @Override
  public void deploy(ModuleBundle module) throws Exception {
    Bundle existing = context.getBundle(ModuleHeaders.location(module.module()));
    int generation = existing == null ? 1 : existing.getVersion().getMicro() + 1;
    byte[] jar = ModuleBundleJar.build(module, generation);
    if (existing == null) {
      Bundle bundle =
          context.installBundle(
              ModuleHeaders.location(module.module()), new ByteArrayInputStream(jar));
      bundle.start();
    } else {
      existing.update(new ByteArrayInputStream(jar));
      if (existing.getState() != Bundle.ACTIVE) {
        existing.start();
      }
    }
  }

  @Override
  public void undeploy(String module) throws Exception {
    Bundle existing = context.getBundle(ModuleHeaders.location(module));
    if (existing != null) {
      existing.uninstall();
    }
  }

  @Override
  public Map<String, String> deployed() {
    Map<String, String> modules = new TreeMap<>();
    for (Bundle bundle : context.getBundles()) {
      String module = bundle.getHeaders("").get(ModuleHeaders.MODULE);
      if (module != null && bundle.getLocation().equals(ModuleHeaders.location(module))) {
        String signature = bundle.getHeaders("").get(ModuleHeaders.MODULE_SIGNATURE);
        modules.put(module, signature == null ? "" : signature);
      }
    }
    return modules;
  }
}
