package org.bulwark.api.fs;

/** A process holding a file open inside a mount (or having its working directory there). */
public record FileHolder(long pid, String command, String path) {
  @Override
  public String toString() {
    return command + "[" + pid + "] " + path;
  }
}
