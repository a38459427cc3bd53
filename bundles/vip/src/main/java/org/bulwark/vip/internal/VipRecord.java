package org.bulwark.vip.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.io.DurableFiles;
import org.bulwark.api.net.VirtualAddress;

/**
 * What a module may have left set on this node ({@code SAFEUSERVAR/vip.set}): written durably
 * before the first address is added, deleted once all are removed. After a node process killed
 * while primary, it names the addresses that the next start removes; {@code safekit config} takes
 * an address it names as the module's own.
 *
 * <p>One line per address: {@code <device> <address>/<prefix>}.
 */
final class VipRecord {

  private final Path file;

  VipRecord(Path file) {
    this.file = file;
  }

  /** One recorded address. */
  record Entry(String device, InetAddress address, int prefixLength) {}

  void write(List<VirtualAddress> addresses) throws IOException {
    StringBuilder text = new StringBuilder();
    for (VirtualAddress a : addresses) {
      text.append(a.device())
          .append(' ')
          .append(a.address().getHostAddress())
          .append('/')
          .append(a.prefixLength())
          .append('\n');
    }
    Files.createDirectories(file.getParent());
    DurableFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The entries; none when there is no record. Lines that do not parse are skipped. */
  List<Entry> read() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] parts = line.trim().split("[ /]");
      if (parts.length != 3 || !parts[1].matches("[0-9a-fA-F.:]+")) {
        continue;
      }
      try {
        out.add(new Entry(parts[0], InetAddress.getByName(parts[1]), Integer.parseInt(parts[2])));
      } catch (IOException | NumberFormatException e) {
        // a damaged line names nothing we can trust to remove
      }
    }
    return out;
  }

  boolean names(InetAddress address) throws IOException {
    return read().stream().anyMatch(e -> e.address().equals(address));
  }

  void delete() throws IOException {
    Files.deleteIfExists(file);
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
