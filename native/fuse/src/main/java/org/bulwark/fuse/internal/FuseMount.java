package org.bulwark.fuse.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.fs.Errno;
import org.bulwark.api.fs.FileHolder;
import org.bulwark.api.fs.Mount;
import org.bulwark.api.fs.MountOptions;
import org.bulwark.api.fs.UnmountReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One libfuse session mounted over a directory: created, mounted, served by libfuse's
 * multi-threaded loop on a dedicated thread, and unmounted as a module stop requires.
 */
final class FuseMount implements Mount {
  private static final Logger LOG = LoggerFactory.getLogger(FuseMount.class);
  private static final long RETRY_MILLIS = 100;

  /** How long the loop may take to end after an unmount before other namespaces are looked at. */
  private static final long SETTLE_MILLIS = 1_000;

  private final Path dir;
  private final MountOptions options;
  private final int rootFd;
  private final FuseOperations ops;
  private final Memory[] argStrings;
  private final Pointer fuse;
  private final int minor;
  private final CountDownLatch loopEnded = new CountDownLatch(1);
  private UnmountReport report;

  private FuseMount(
      Path dir, MountOptions options, int rootFd, FuseOperations ops, Memory[] args, Pointer fuse)
      throws IOException {
    this.dir = dir;
    this.options = options;
    this.rootFd = rootFd;
    this.ops = ops;
    this.argStrings = args;
    this.fuse = fuse;
    List<MountTable.Entry> at = MountTable.at(dir);
    this.minor = at.isEmpty() ? -1 : at.get(at.size() - 1).minor();
  }

  /** Opens the directory underneath, mounts over it and starts serving. */
  static FuseMount start(Path dir, MountOptions options) throws IOException {
    int rootFd;
    try {
      rootFd =
          Libc.openat(
              Libc.AT_FDCWD,
              MountTable.cString(dir),
              Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC,
              0);
    } catch (LastErrorException e) {
      throw new IOException(
          dir + ": not a directory that can be mounted over (errno " + e.getErrorCode() + ")");
    }
    Underlying under = new Underlying(rootFd);
    Guard guard = new Guard(options.readOnly(), options.interceptor());
    FuseOperations ops =
        new FuseOperations(
            new FileOps(under, guard),
            new NameOps(under, guard),
            new DirOps(under, guard),
            options.maxWrite());
    Memory[] args = arguments(dir, options);
    Memory argv = new Memory((long) args.length * Native.POINTER_SIZE);
    for (int i = 0; i < args.length; i++) {
      argv.setPointer((long) i * Native.POINTER_SIZE, args[i]);
    }
    Memory fuseArgs = new Memory(24);
    fuseArgs.clear();
    fuseArgs.setInt(0, args.length);
    fuseArgs.setPointer(8, argv);
    // Kept for the mount's life with the strings: libfuse may hold on to what it was given.
    args = java.util.Arrays.copyOf(args, args.length + 2);
    args[args.length - 2] = argv;
    args[args.length - 1] = fuseArgs;
    Pointer fuse = LibFuse.fuse_new_31(fuseArgs, ops.table(), ops.size(), null);
    if (fuse == null) {
      closeQuietly(rootFd);
      throw new IOException("libfuse refused the mount options for " + dir);
    }
    if (LibFuse.fuse_mount(fuse, dir.toString()) != 0) {
      LibFuse.fuse_destroy(fuse);
      closeQuietly(rootFd);
      throw new IOException("cannot mount FUSE over " + dir + " (see libfuse's message above)");
    }
    FuseMount mount = new FuseMount(dir, options, rootFd, ops, args, fuse);
    Thread loop = new Thread(mount::serve, "bulwark-fuse-loop " + dir);
    loop.setDaemon(true);
    loop.start();
    LOG.info(
        "Mounted {} (max_write={}, threads={}, {})",
        dir,
        options.maxWrite(),
        options.threads(),
        options.readOnly() ? "read-only" : "read-write");
    return mount;
  }

  private static Memory[] arguments(Path dir, MountOptions options) {
    double cache = options.cacheTimeout().toNanos() / 1e9;
    String o =
        String.join(
            ",",
            "fsname=bulwark",
            "subtype=bulwark",
            "allow_other",
            "default_permissions",
            "entry_timeout=" + cache,
            "attr_timeout=" + cache,
            "negative_timeout=" + cache,
            "max_read=" + options.maxWrite());
    String[] argv = {"bulwark", "-o", o};
    Memory[] out = new Memory[argv.length];
    for (int i = 0; i < argv.length; i++) {
      byte[] b = argv[i].getBytes(StandardCharsets.UTF_8);
      out[i] = new Memory(b.length + 1);
      out[i].write(0, b, 0, b.length);
      out[i].setByte(b.length, (byte) 0);
    }
    return out;
  }

  /** The loop returns when the kernel ends the connection (unmount or abort). */
  private void serve() {
    Pointer cfg = LibFuse.fuse_loop_cfg_create();
    try {
      LibFuse.fuse_loop_cfg_set_max_threads(cfg, options.threads());
      LibFuse.fuse_loop_cfg_set_idle_threads(cfg, options.threads());
      int rc = LibFuse.fuse_loop_mt_312(fuse, cfg);
      LOG.info("FUSE loop of {} ended ({})", dir, rc);
    } finally {
      LibFuse.fuse_loop_cfg_destroy(cfg);
      loopEnded.countDown();
    }
  }

  @Override
  public Path directory() {
    return dir;
  }

  @Override
  public MountOptions options() {
    return options;
  }

  @Override
  public synchronized boolean isActive() {
    return report == null && loopEnded.getCount() > 0;
  }

  @Override
  public List<FileHolder> holders() throws IOException {
    return Holders.under(dir);
  }

  @Override
  public synchronized UnmountReport unmount(Duration timeout) throws IOException {
    if (report != null) {
      return report;
    }
    List<FileHolder> seen = List.of();
    boolean forced = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (loopEnded.getCount() > 0 && !tryUnmount()) {
      if (seen.isEmpty()) {
        seen = holders();
        LOG.warn("Unmount of {} waits for processes holding files open: {}", dir, seen);
      }
      if (System.nanoTime() - deadline >= 0) {
        LOG.warn("Forcing the unmount of {}: still held by {}", dir, holders());
        forceUnmount();
        forced = true;
        break;
      }
      await(RETRY_MILLIS);
    }
    if (!forced && !await(SETTLE_MILLIS)) {
      // unmounted here, the connection ends with its last mount: one left in another mount
      // namespace keeps it (and the loop) alive for as long as that namespace lives
      List<FileHolder> elsewhere = List.of();
      try {
        elsewhere = Holders.inOtherNamespaces(minor);
      } catch (IOException e) {
        LOG.warn("Cannot read the other mount namespaces' tables: {}", e.toString());
      }
      if (!elsewhere.isEmpty()) {
        LOG.warn(
            "The mount of {} lives on in other mount namespaces, held by {}: aborting its"
                + " connection (calls there fail with ENOTCONN)",
            dir,
            elsewhere);
        MountTable.abort(minor);
        seen = concat(seen, elsewhere);
        forced = true;
      }
    }
    if (!await(TimeUnit.SECONDS.toMillis(10))) {
      LOG.error("FUSE loop of {} did not end after unmount: aborting the connection", dir);
      MountTable.abort(minor);
    }
    if (await(TimeUnit.SECONDS.toMillis(10))) {
      LibFuse.fuse_destroy(fuse);
      closeQuietly(rootFd);
    } else {
      // Destroying the session under a running loop would crash the JVM: leak it instead.
      LOG.error("FUSE loop of {} still running: its session is left allocated", dir);
    }
    report = new UnmountReport(seen, forced);
    LOG.info("Unmounted {}{}", dir, forced ? " (forced)" : "");
    return report;
  }

  @Override
  public void close() throws IOException {
    unmount(Duration.ZERO);
  }

  /** A clean unmount; false while busy. */
  private boolean tryUnmount() throws IOException {
    try {
      Libc.umount2(MountTable.cString(dir), Libc.UMOUNT_NOFOLLOW);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Errno.EBUSY) {
        return false;
      }
      if (e.getErrorCode() == 22 /* EINVAL: no longer a mount point */) {
        return true;
      }
      throw new IOException("cannot unmount " + dir + ": errno " + e.getErrorCode());
    }
  }

  /** Detaches the mount from the tree, then aborts the connection so holders get ENOTCONN. */
  private void forceUnmount() {
    try {
      Libc.umount2(MountTable.cString(dir), Libc.MNT_DETACH | Libc.UMOUNT_NOFOLLOW);
    } catch (LastErrorException e) {
      LOG.warn("Lazy unmount of {} failed: errno {}", dir, e.getErrorCode());
    }
    MountTable.abort(minor);
  }

  private boolean await(long millis) {
    try {
      return loopEnded.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static List<FileHolder> concat(List<FileHolder> a, List<FileHolder> b) {
    List<FileHolder> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void closeQuietly(int fd) {
    try {
      Libc.close(fd);
    } catch (LastErrorException e) {
      LOG.debug("close({}) failed: errno {}", fd, e.getErrorCode());
    }
  }

  /** Keeps the callback table reachable as long as the mount object is. */
  FuseOperations operations() {
    return ops;
  }

  Memory[] argumentStrings() {
    return argStrings;
  }
}
