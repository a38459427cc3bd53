package org.bulwark.deployer.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Module ids (spec G.9, F.5): given at install, the smallest free one from 1; kept by a module
 * across reinstalls and across uninstall and install of the same name; forced with {@code -M}.
 * Persisted in {@code SAFEVAR/modules/ids.properties}, written atomically. Not thread-safe: the
 * deployer calls it under its lock.
 */
final class ModuleIds {

  private final Path file;

  ModuleIds(Path file) {
    this.file = file;
  }

  /** Every module name ever given an id, with its id. */
  Map<String, Integer> all() throws IOException {
    Map<String, Integer> ids = new TreeMap<>();
    if (!Files.exists(file)) {
      return ids;
    }
    Properties props = new Properties();
    props.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    for (String name : props.stringPropertyNames()) {
      try {
        int id = Integer.parseInt(props.getProperty(name).trim());
        if (id >= 1) {
          ids.put(name, id);
        }
      } catch (NumberFormatException e) {
        // a hand-edited line that is not a number gives no id; the module gets a new one
      }
    }
    return ids;
  }

  /** The id of {@code module}, if it has one. */
  OptionalInt of(String module) throws IOException {
    Integer id = all().get(module);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /**
   * The id {@code module} gets now: the forced one, else its own, else the smallest id held by no
   * module ever recorded.
   *
   * @param installed the modules installed now: only their ids count as "in use" for {@code -M}
   * @return the id, or -1 with {@code conflict[0]} naming the module holding the forced id
   */
  int choose(String module, OptionalInt forced, Set<String> installed, String[] conflict)
      throws IOException {
    Map<String, Integer> ids = all();
    if (forced.isPresent()) {
      for (Map.Entry<String, Integer> e : ids.entrySet()) {
        if (e.getValue() == forced.getAsInt()
            && !e.getKey().equals(module)
            && installed.contains(e.getKey())) {
          conflict[0] = e.getKey();
          return -1;
        }
      }
      return forced.getAsInt();
    }
    Integer own = ids.get(module);
    if (own != null) {
      return own;
    }
    int id = 1;
    while (ids.containsValue(id)) {
      id++;
    }
    return id;
  }

  /**
   * Records {@code module = id}. A forced id taken from a module no longer installed is released
   * from it, so two names never share an id.
   */
  void assign(String module, int id) throws IOException {
    Map<String, Integer> ids = all();
    ids.values().removeIf(v -> v == id);
    ids.put(module, id);
    write(ids);
  }

  /** Restores a previous content (rollback of a failed install). */
  void write(Map<String, Integer> ids) throws IOException {
    StringBuilder text = new StringBuilder("# module ids (spec G.9): name=id\n");
    for (Map.Entry<String, Integer> e : new TreeMap<>(ids).entrySet()) {
      text.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    Files.createDirectories(file.getParent());
    Trees.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }
}
