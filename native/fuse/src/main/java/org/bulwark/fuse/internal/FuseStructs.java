package org.bulwark.fuse.internal;

/**
 * Field offsets of the libfuse 3.14 structures we touch, on x86_64/aarch64 (LP64). Measured with
 * {@code offsetof} against {@code /usr/include/fuse3} (libfuse3-dev 3.14.0); the layouts are part
 * of libfuse's stable ABI for {@code fuse_new_31}.
 */
final class FuseStructs {
  /** {@code struct fuse_file_info}. */
  static final int FI_FLAGS = 0;

  static final int FI_BITS = 4;
  static final int FI_FH = 16;
  static final int FI_BIT_DIRECT_IO = 1 << 1;
  static final int FI_BIT_KEEP_CACHE = 1 << 2;

  /** {@code struct fuse_context}. */
  static final int CTX_UID = 8;

  static final int CTX_GID = 12;
  static final int CTX_PID = 16;
  static final int CTX_UMASK = 32;

  /** {@code struct fuse_config}. */
  static final int CFG_ENTRY_TIMEOUT = 24;

  static final int CFG_NEGATIVE_TIMEOUT = 32;
  static final int CFG_ATTR_TIMEOUT = 40;
  static final int CFG_HARD_REMOVE = 60;
  static final int CFG_USE_INO = 64;
  static final int CFG_READDIR_INO = 68;
  static final int CFG_AC_ATTR_TIMEOUT_SET = 88;
  static final int CFG_NULLPATH_OK = 104;

  /** {@code struct fuse_conn_info}. */
  static final int CONN_MAX_WRITE = 8;

  static final int CONN_MAX_READ = 12;
  static final int CONN_MAX_READAHEAD = 16;
  static final int CONN_CAPABLE = 20;
  static final int CONN_WANT = 24;
  static final int CONN_MAX_BACKGROUND = 28;

  static final int CAP_ATOMIC_O_TRUNC = 0x8;
  static final int CAP_WRITEBACK_CACHE = 0x10000;
  static final int CAP_PARALLEL_DIROPS = 0x40000;
  static final int CAP_HANDLE_KILLPRIV = 0x100000;

  /** {@code struct dirent}: the name starts at byte 19. */
  static final int DIRENT_NAME = 19;

  /** {@code struct fuse_operations}: 42 function pointers. */
  static final int OPS_SLOTS = 42;

  private FuseStructs() {}
}
