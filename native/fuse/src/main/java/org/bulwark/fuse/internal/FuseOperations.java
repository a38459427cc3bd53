package org.bulwark.fuse.internal;

import com.sun.jna.Callback;
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
 * every request would cost more than the request. The callbacks are JNA <em>direct</em> callbacks
 * with primitive arguments ({@link FuseCallbacks}): measured with callgrind, the user-space
 * instructions of one write request went from 13,900 to 6,400 and those of the getxattr probe from
 * 11,900 to 7,100 (bindfs, in C: 170 and 310); what remains is mostly the JNI upcall itself.
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
    set(GETATTR, (FuseCallbacks.PathPtrFi) (a, b, fi) -> files.getattr(p(a), p(b), p(fi)));
    set(READLINK, (FuseCallbacks.PathBufSize) (a, b, n) -> names.readlink(p(a), p(b), n));
    set(MKNOD, (FuseCallbacks.PathModeDev) (a, mode, dev) -> names.mknod(p(a), mode, dev));
    set(MKDIR, (FuseCallbacks.PathMode) (a, mode) -> names.mkdir(p(a), mode));
    set(UNLINK, (FuseCallbacks.PathOnly) a -> names.unlink(p(a)));
    set(RMDIR, (FuseCallbacks.PathOnly) a -> names.rmdir(p(a)));
    set(SYMLINK, (FuseCallbacks.PathPtr) (a, b) -> names.symlink(p(a), p(b)));
    set(RENAME, (FuseCallbacks.PathPathFlags) (a, b, flags) -> names.rename(p(a), p(b), flags));
    set(LINK, (FuseCallbacks.PathPtr) (a, b) -> names.link(p(a), p(b)));
    set(CHMOD, (FuseCallbacks.PathIntFi) (a, mode, fi) -> names.chmod(p(a), mode, p(fi)));
    set(
        CHOWN,
        (FuseCallbacks.PathUidGidFi) (a, uid, gid, fi) -> names.chown(p(a), uid, gid, p(fi)));
    set(TRUNCATE, (FuseCallbacks.PathOffFi) (a, size, fi) -> files.truncate(p(a), size, p(fi)));
    set(OPEN, (FuseCallbacks.PathPtr) (a, fi) -> files.open(p(a), p(fi)));
    set(
        READ,
        (FuseCallbacks.PathBufSizeOffFi)
            (a, buf, n, off, fi) -> files.read(p(a), p(buf), n, off, p(fi)));
    set(
        WRITE,
        (FuseCallbacks.PathBufSizeOffFi)
            (a, buf, n, off, fi) -> files.write(p(a), p(buf), n, off, p(fi)));
    set(STATFS, (FuseCallbacks.PathPtr) (a, st) -> files.statfs(p(a), p(st)));
    set(FLUSH, (FuseCallbacks.PathPtr) (a, fi) -> files.flush(p(a), p(fi)));
    set(RELEASE, (FuseCallbacks.PathPtr) (a, fi) -> files.release(p(a), p(fi)));
    set(FSYNC, (FuseCallbacks.PathIntFi) (a, data, fi) -> files.fsync(p(a), data, p(fi)));
    set(
        SETXATTR,
        (FuseCallbacks.SetXattr)
            (a, name, value, n, flags) -> dirs.setxattr(p(a), p(name), p(value), n, flags));
    set(
        GETXATTR,
        (FuseCallbacks.GetXattr) (a, name, value, n) -> dirs.getxattr(p(a), p(name), p(value), n));
    set(LISTXATTR, (FuseCallbacks.PathBufSize) (a, list, n) -> dirs.listxattr(p(a), p(list), n));
    set(REMOVEXATTR, (FuseCallbacks.PathPtr) (a, name) -> dirs.removexattr(p(a), p(name)));
    set(OPENDIR, (FuseCallbacks.PathPtr) (a, fi) -> dirs.opendir(p(a), p(fi)));
    set(
        READDIR,
        (FuseCallbacks.Readdir)
            (a, buf, filler, off, fi, flags) ->
                dirs.readdir(p(a), p(buf), p(filler), off, p(fi), flags));
    set(RELEASEDIR, (FuseCallbacks.PathPtr) (a, fi) -> dirs.releasedir(p(a), p(fi)));
    set(FSYNCDIR, (FuseCallbacks.PathIntFi) (a, data, fi) -> files.fsync(p(a), data, p(fi)));
    set(INIT, (FuseCallbacks.Init) (conn, config) -> init(p(conn), p(config), maxWrite));
    set(CREATE, (FuseCallbacks.PathIntFi) (a, mode, fi) -> files.create(p(a), mode, p(fi)));
    set(UTIMENS, (FuseCallbacks.PathPtrFi) (a, times, fi) -> names.utimens(p(a), p(times), p(fi)));
    set(
        FALLOCATE,
        (FuseCallbacks.Fallocate)
            (a, mode, off, len, fi) -> files.fallocate(p(a), mode, off, len, p(fi)));
    set(LSEEK, (FuseCallbacks.Lseek) (a, off, whence, fi) -> files.lseek(p(a), off, whence, p(fi)));
  }

  /** An address from libfuse as a {@link Pointer}, {@code null} for NULL (e.g. no path). */
  private static Pointer p(long address) {
    return address == 0 ? null : new Pointer(address);
  }

  Pointer table() {
    return table;
  }

  long size() {
    return table.size();
  }

  /**
   * Puts the callback's native entry point in the table. The thread initializer must be known
   * before the entry point is created. The entry point is obtained by passing the callback to a
   * direct-mapped function ({@link Libc#callbackAddress}): JNA then builds a <em>direct</em>
   * callback, which calls the Java method with its primitive arguments as they are, where {@code
   * CallbackReference.getFunctionPointer} would build a proxy that boxes every argument into an
   * array and invokes the method reflectively (measured: 0.5 µs against 0.1 µs per call).
   */
  private void set(int slot, Callback callback) {
    strongRefs.add(callback);
    Native.setCallbackThreadInitializer(callback, threads);
    table.setPointer(slot * (long) Native.POINTER_SIZE, Libc.callbackAddress(callback));
  }

  /**
   * Configures libfuse and negotiates the connection: request size, and no write-back cache (each
   * write must reach the interceptor before the application's call returns: spec B.7 synchronous
   * replication).
   */
  private static long init(Pointer conn, Pointer config, int maxWrite) {
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
    return 0;
  }
}
