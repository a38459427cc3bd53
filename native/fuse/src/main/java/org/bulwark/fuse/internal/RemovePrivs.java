package org.bulwark.fuse.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bulwark.api.fs.Caller;
import org.bulwark.api.fs.FileOperation;

/**
 * What a write takes away from a file when the writer lacks {@code CAP_FSETID}: the set-user-ID
 * bit, and the set-group-ID bit when the group may execute (Linux {@code file_remove_privs}, as
 * FUSE applies it in {@code fuse_setattr}). The kernel does this itself before a write through its
 * page cache, but leaves it to the file system for a direct-I/O write ({@code FOPEN_DIRECT_IO},
 * which the driver uses for write-only opens): the driver then does the same, so that both paths
 * leave the file, and show the interceptor, the same changes.
 */
final class RemovePrivs {
  static final int S_ISUID = 04000;
  static final int S_ISGID = 02000;
  static final int S_IXGRP = 00010;
  private static final int CAP_FSETID = 4;
  private static final String CAPS = "security.capability";
  private static final Memory CAPS_NAME = new Memory(CAPS.length() + 1);
  private static final Memory EMPTY = new Memory(1);
  private static final ThreadLocal<Memory> STATX =
      ThreadLocal.withInitial(() -> new Memory(Libc.STATX_SIZE));

  static {
    CAPS_NAME.setString(0, CAPS, "US-ASCII");
    EMPTY.setByte(0, (byte) 0);
  }

  private final Guard guard;

  RemovePrivs(Guard guard) {
    this.guard = guard;
  }

  /**
   * Before a direct write to {@code fd}: what the kernel would have done, in its order (file
   * capabilities, then the mode), each change through the guard as the kernel's own requests would
   * have come. Returns 0, or the negated errno that fails the write.
   */
  int before(Pointer path, int fd) {
    // The file system underneath drops file capabilities by itself when the driver writes; only
    // the interceptor must be shown it, as the kernel's REMOVEXATTR would have shown it.
    if (guard.intercepting() && Libc.fgetxattr(fd, CAPS_NAME, null, 0) >= 0) {
      FileOperation op = new FileOperation.RemoveXattr(Guard.caller(), Guard.text(path), CAPS);
      int rc = guard.call(op, () -> Libc.fremovexattr(fd, CAPS_NAME));
      if (rc != 0) {
        return rc;
      }
    }
    // statx for the mode alone, not fstat: asking for the timestamps would make the next write
    // take a fine-grained one (multigrain timestamps, Linux 6.13+), which dirties the inode on
    // every write and makes each fsync commit the journal: measured +50 µs per 4 KiB write+fsync.
    Memory stx = STATX.get();
    Libc.statx(fd, EMPTY, Libc.AT_EMPTY_PATH, Libc.STATX_TYPE | Libc.STATX_MODE, stx);
    int mode = stx.getShort(Libc.STX_MODE) & 0xffff;
    if ((mode & (S_ISUID | S_ISGID)) == 0) {
      return 0;
    }
    Caller caller = Guard.caller();
    int kill = bitsToKill(mode, privileged(caller));
    if (kill == 0) {
      return 0;
    }
    int newMode = mode & ~kill;
    FileOperation op =
        guard.intercepting() ? new FileOperation.Chmod(caller, Guard.text(path), newMode) : null;
    return guard.call(op, () -> Libc.fchmod(fd, newMode & 07777));
  }

  /** The mode bits to clear; {@code privileged}: whether the writer has CAP_FSETID. */
  static int bitsToKill(int mode, boolean privileged) {
    if (privileged) {
      return 0;
    }
    int kill = mode & S_ISUID;
    if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) {
      kill |= S_ISGID;
    }
    return kill;
  }

  /**
   * Whether the caller has CAP_FSETID in the driver's user namespace (the kernel's {@code
   * capable()}), read from {@code /proc}: only asked when the file has such bits, which is rare. A
   * caller gone meanwhile counts as privileged only if it was root.
   */
  static boolean privileged(Caller caller) {
    try {
      Path task = Path.of("/proc", Integer.toString(caller.pid()));
      if (!Files.readSymbolicLink(task.resolve("ns/user"))
          .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")))) {
        return false;
      }
      for (String line : Files.readAllLines(task.resolve("status"))) {
        if (line.startsWith("CapEff:")) {
          return hasCapability(line.substring(7).trim(), CAP_FSETID);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return caller.uid() == 0;
  }

  /** Bit {@code cap} of a {@code /proc/<pid>/status} capability mask (hexadecimal). */
  static boolean hasCapability(String hexMask, int cap) {
    return (Long.parseUnsignedLong(hexMask, 16) & (1L << cap)) != 0;
  }
}
