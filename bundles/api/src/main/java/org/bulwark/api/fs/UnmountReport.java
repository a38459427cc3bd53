package org.bulwark.api.fs;

import java.util.List;

/**
 * The outcome of {@link Mount#unmount}: the holders seen at the first attempt (empty when the
 * unmount was clean at once), then the processes of other mount namespaces that still had the mount
 * once it was gone from this one (one per namespace), and whether it had to be forced (the
 * connection aborted under either).
 */
public record UnmountReport(List<FileHolder> holders, boolean forced) {
  public UnmountReport {
    holders = List.copyOf(holders);
  }
}
