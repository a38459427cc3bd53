package org.bulwark.fuse.internal;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code struct fuse_operations} table handed to {@code fuse_new_31}: one function pointer per
 * slot (order of libfuse 3.14's {@code fuse.h}), each a JNA callback into the pass-through.
 *
 * <p>The callback objects are created once and kept here for the mount's lifetime (JNA frees the
 * native trampoline when its callback object is collected). libfuse's worker threads stay attached
 * to the JVM between requests ({@link CallbackThreadInitializer} with detach false): attaching on
 * every request would cost more than the request.
 */
final class FuseOperations {
  private static final int GETATTR = 0;
  private static final int READLINK = 1;
  private static final int MKNOD = 2;
  private static final int MKDIR = 3;
  private static final int UNLINK = 4;
  private static final int RMDIR = 5;
  private static final int SYMLINK = 6;
  private static final int RENAME = 7;
  private static final int LINK = 8;
  private static final int CHMOD = 9;
  private static final int CHOWN = 10;
  private static final int TRUNCATE = 11;
  private static final int OPEN = 12;
  private static final int READ = 13;
  private static final int WRITE = 14;
  private static final int STATFS = 15;
  private static final int FLUSH = 16;
  private static final int RELEASE = 17;
  private static final int FSYNC = 18;
  private static final int SETXATTR = 19;
  private static final int GETXATTR = 20;
  private static final int LISTXATTR = 21;
  private static final int REMOVEXATTR = 22;
  private static final int OPENDIR = 23;
  private static final int READDIR = 24;
  private static final int RELEASEDIR = 25;
  private static final int FSYNCDIR = 26;
  private static final int INIT = 27;
  private static final int CREATE = 30;
  private static final int UTIMENS = 32;
  private static final int FALLOCATE = 39;
  private static final int LSEEK = 41;

  private final Memory table = new Memory(FuseStructs.OPS_SLOTS * (long) Native.POINTER_SIZE);
  private final List<Callback> strongRefs = new ArrayList<>();
  private final CallbackThreadInitializer threads =
      new CallbackThreadInitializer(true, false, "bulwark-fuse");

  FuseOperations(FileOps files, NameOps names, DirOps dirs, int maxWrite) {
    table.clear();
    set(GETATTR, (FuseCallbacks.PathPtrFi) files::getattr);
    set(READLINK, (FuseCallbacks.PathBufSize) names::readlink);
    set(MKNOD, (FuseCallbacks.PathModeDev) names::mknod);
    set(MKDIR, (FuseCallbacks.PathMode) names::mkdir);
    set(UNLINK, (FuseCallbacks.PathOnly) names::unlink);
    set(RMDIR, (FuseCallbacks.PathOnly) names::rmdir);
    set(SYMLINK, (FuseCallbacks.PathPtr) names::symlink);
    set(RENAME, (FuseCallbacks.PathPathFlags) names::rename);
    set(LINK, (FuseCallbacks.PathPtr) names::link);
    set(CHMOD, (FuseCallbacks.PathIntFi) names::chmod);
    set(CHOWN, (FuseCallbacks.PathUidGidFi) names::chown);
    set(TRUNCATE, (FuseCallbacks.PathOffFi) files::truncate);
    set(OPEN, (FuseCallbacks.PathPtr) files::open);
    set(READ, (FuseCallbacks.PathBufSizeOffFi) files::read);
    set(WRITE, (FuseCallbacks.PathBufSizeOffFi) files::write);
    set(STATFS, (FuseCallbacks.PathPtr) files::statfs);
    set(FLUSH, (FuseCallbacks.PathPtr) files::flush);
    set(RELEASE, (FuseCallbacks.PathPtr) files::release);
    set(FSYNC, (FuseCallbacks.PathIntFi) files::fsync);
    set(SETXATTR, (FuseCallbacks.SetXattr) dirs::setxattr);
    set(GETXATTR, (FuseCallbacks.GetXattr) dirs::getxattr);
    set(LISTXATTR, (FuseCallbacks.PathBufSize) dirs::listxattr);
    set(REMOVEXATTR, (FuseCallbacks.PathPtr) dirs::removexattr);
    set(OPENDIR, (FuseCallbacks.PathPtr) dirs::opendir);
    set(READDIR, (FuseCallbacks.Readdir) dirs::readdir);
    set(RELEASEDIR, (FuseCallbacks.PathPtr) dirs::releasedir);
    set(FSYNCDIR, (FuseCallbacks.PathIntFi) files::fsync);
    set(INIT, (FuseCallbacks.Init) (conn, config) -> init(conn, config, maxWrite));
    set(CREATE, (FuseCallbacks.PathIntFi) files::create);
    set(UTIMENS, (FuseCallbacks.PathPtrFi) names::utimens);
    set(FALLOCATE, (FuseCallbacks.Fallocate) files::fallocate);
    set(LSEEK, (FuseCallbacks.Lseek) files::lseek);
  }

  Pointer table() {
    return table;
  }

  long size() {
    return table.size();
  }

  private void set(int slot, Callback callback) {
    strongRefs.add(callback);
    Native.setCallbackThreadInitializer(callback, threads);
    table.setPointer(
        slot * (long) Native.POINTER_SIZE, CallbackReference.getFunctionPointer(callback));
  }

  /**
   * Configures libfuse and negotiates the connection: request size, and no write-back cache (each
   * write must reach the interceptor before the application's call returns: spec B.7 synchronous
   * replication).
   */
  private static Pointer init(Pointer conn, Pointer config, int maxWrite) {
    // Unlinked open files stay served through their descriptor (no .fuse_hidden renames, link
    // counts as on a local file system), and inode numbers are those of the real files.
    config.setInt(FuseStructs.CFG_HARD_REMOVE, 1);
    config.setInt(FuseStructs.CFG_USE_INO, 1);
    conn.setInt(FuseStructs.CONN_MAX_WRITE, maxWrite);
    conn.setInt(FuseStructs.CONN_MAX_READ, maxWrite); // must equal the max_read mount option
    int want = conn.getInt(FuseStructs.CONN_WANT);
    int capable = conn.getInt(FuseStructs.CONN_CAPABLE);
    want &= ~FuseStructs.CAP_WRITEBACK_CACHE;
    want |= capable & (FuseStructs.CAP_ATOMIC_O_TRUNC | FuseStructs.CAP_PARALLEL_DIROPS);
    conn.setInt(FuseStructs.CONN_WANT, want);
    return null;
  }
}
