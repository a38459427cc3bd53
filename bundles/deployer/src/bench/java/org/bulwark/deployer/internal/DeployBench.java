package org.bulwark.deployer.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import org.bulwark.api.env.SafeDirectories;
import org.bulwark.config.internal.XmlConfigService;

/**
 * Figures for docs/benchmarks.md, not a test: median time of install, config, deploy() and
 * uninstall of a stock .safe, and of refusing a zip bomb, with the recording bundle fake (the
 * framework's installBundle is measured by the integration tests). Usage: java -cp … DeployBench
 * path/to/farm.safe [runs]
 */
public final class DeployBench {
  public static void main(String[] args) throws Exception {
    Path safe = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path root = Files.createTempDirectory("deploybench");
    try {
      SafeDirectories dirs = new SafeDirectories(root, root.resolve("var"));
      LocalDeployer deployer =
          new LocalDeployer(
              dirs,
              new XmlConfigService(),
              new RecordingBundles(),
              SafeArchive.Limits.DEFAULT,
              Clock.systemUTC());
      long[] install = new long[runs];
      long[] config = new long[runs];
      long[] deploy = new long[runs];
      long[] uninstall = new long[runs];
      long[] copy = new long[runs];
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        deployer.install("farm", Optional.of(safe), OptionalInt.empty(), false);
        long t1 = System.nanoTime();
        deployer.config("farm");
        long t2 = System.nanoTime();
        deployer.uninstall("farm");
        long t3 = System.nanoTime();
        Path drop = root.resolve("drop").resolve("farm.safe");
        Files.createDirectories(drop.getParent());
        Files.copy(safe, drop, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long t4 = System.nanoTime();
        deployer.deploy(drop);
        long t5 = System.nanoTime();
        deployer.uninstall("farm");
        // raw baseline: copying the package file once
        long t6 = System.nanoTime();
        Files.copy(safe, root.resolve("copy.safe"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long t7 = System.nanoTime();
        install[i] = t1 - t0;
        config[i] = t2 - t1;
        uninstall[i] = t3 - t2;
        deploy[i] = t5 - t4;
        copy[i] = t7 - t6;
      }
      Path bomb =
          new ZipWriter()
              .file("b/conf/userconfig.xml", "<safe/>")
              .deflated("b/data", new byte[64 << 20], 10)
              .write(root.resolve("bomb.safe"));
      LocalDeployer small =
          new LocalDeployer(
              dirs,
              new XmlConfigService(),
              new RecordingBundles(),
              new SafeArchive.Limits(100, 1 << 20),
              Clock.systemUTC());
      long[] refuse = new long[runs];
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        try {
          small.install("b", Optional.of(bomb), OptionalInt.empty(), false);
        } catch (org.bulwark.api.deploy.DeployException expected) {
          // refused, as it must be
        }
        refuse[i] = System.nanoTime() - t0;
      }
      System.out.printf(
          "runs=%d install=%.2fms config=%.2fms uninstall=%.2fms deploy(install+config)=%.2fms"
              + " refuse-lying-64MiB-bomb=%.2fms baseline-file-copy=%.3fms%n",
          runs,
          median(install),
          median(config),
          median(uninstall),
          median(deploy),
          median(refuse),
          median(copy));
    } finally {
      Trees.deleteRecursively(root);
    }
  }

  private static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1e6;
  }
}
