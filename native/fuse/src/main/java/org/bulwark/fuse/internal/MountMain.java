package org.bulwark.fuse.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.bulwark.api.fs.Mount;
import org.bulwark.api.fs.MountOptions;

/**
 * Mounts one directory from the command line and serves it until SIGTERM/SIGINT (then unmounts):
 * what the benchmarks and the kill -9 test run in their own JVM.
 *
 * <pre>java -cp bulwark-native-fuse.jar:jna.jar:slf4j-api.jar \
 *     org.bulwark.fuse.internal.MountMain DIR [max_write_bytes] [threads] [ro]</pre>
 *
 * Prints {@code MOUNTED DIR} on standard output once the mount is in place.
 */
public final class MountMain {
  private MountMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: MountMain DIR [max_write_bytes] [threads] [ro]");
      System.exit(2);
    }
    MountOptions options = MountOptions.defaults();
    try {
      if (args.length > 1) {
        options = options.withMaxWrite(Integer.parseInt(args[1]));
      }
      if (args.length > 2) {
        options = options.withThreads(Integer.parseInt(args[2]));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("MountMain: " + e.getMessage());
      System.exit(2);
    }
    options = options.withReadOnly(args.length > 3 && args[3].equals("ro"));
    Mount mount = new FuseFileSystemDriver().mount(Path.of(args[0]), options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    mount.unmount(Duration.ofSeconds(5));
                  } catch (Exception e) {
                    System.err.println("MountMain: unmount failed: " + e);
                  }
                  stopped.countDown();
                }));
    System.out.println("MOUNTED " + mount.directory());
    System.out.flush();
    stopped.await();
  }
}
