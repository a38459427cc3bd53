package org.bulwark.fuse.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libfuse3 high-level API (Debian {@code libfuse3-3}, 3.14 here), direct-mapped. Versioned
 * symbols are named explicitly ({@code fuse_new_31}, {@code fuse_loop_mt_312}) so that the ABI we
 * call is the one whose structure layouts {@link FuseOperations} and {@link FuseStructs} follow,
 * whatever the library's default version becomes.
 */
final class LibFuse {

  static {
    // The runtime package (libfuse3-3) ships only the versioned name; libfuse3.so is in -dev.
    Native.register(LibFuse.class, NativeLibrary.getInstance("libfuse3.so.3"));
  }

  private LibFuse() {}

  /** {@code struct fuse *fuse_new(struct fuse_args *, const struct fuse_operations *, ...)}. */
  static native Pointer fuse_new_31(Pointer args, Pointer ops, long opSize, Pointer userData);

  static native int fuse_mount(Pointer fuse, String mountpoint);

  static native void fuse_unmount(Pointer fuse);

  static native void fuse_destroy(Pointer fuse);

  static native void fuse_exit(Pointer fuse);

  static native int fuse_loop_mt_312(Pointer fuse, Pointer config);

  static native Pointer fuse_loop_cfg_create();

  static native void fuse_loop_cfg_destroy(Pointer config);

  static native void fuse_loop_cfg_set_max_threads(Pointer config, int value);

  static native void fuse_loop_cfg_set_idle_threads(Pointer config, int value);

  static native void fuse_loop_cfg_set_clone_fd(Pointer config, int value);

  /** The calling request's {@code struct fuse_context}. */
  static native Pointer fuse_get_context();

  static native Pointer fuse_get_session(Pointer fuse);

  static native int fuse_session_fd(Pointer session);
}
