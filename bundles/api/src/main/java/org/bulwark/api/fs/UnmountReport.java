package org.bulwark.api.fs;

import java.util.List;

/**
 * The outcome of {@link Mount#unmount}: the holders seen at the first attempt (empty when the
 * unmount was clean at once) and whether it had to be forced.
 */
public record UnmountReport(List<FileHolder> holders, boolean forced) {
  public UnmountReport {
    holders = List.copyOf(holders);
  }
}
