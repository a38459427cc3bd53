package org.bulwark.deployer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Records what the deployer asks of the framework; can be told to fail. */
final class RecordingBundles implements ModuleBundles {

  final Map<String, ModuleBundle> present = new TreeMap<>();
  final Map<String, Integer> generation = new TreeMap<>();
  final List<String> calls = new ArrayList<>();
  volatile boolean fail;

  @Override
  public synchronized void deploy(ModuleBundle bundle) throws Exception {
    if (fail) {
      throw new Exception("framework refused the bundle");
    }
    calls.add((present.containsKey(bundle.module()) ? "update " : "install ") + bundle.module());
    present.put(bundle.module(), bundle);
    generation.merge(bundle.module(), 1, Integer::sum);
  }

  @Override
  public synchronized void undeploy(String module) {
    if (present.remove(module) != null) {
      calls.add("uninstall " + module);
    }
  }

  @Override
  public synchronized Map<String, String> deployed() {
    Map<String, String> map = new TreeMap<>();
    present.forEach((k, v) -> map.put(k, v.signature()));
    return map;
  }
}
