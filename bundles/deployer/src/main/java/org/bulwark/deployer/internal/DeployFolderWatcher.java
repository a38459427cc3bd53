package org.bulwark.deployer.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.deploy.ModuleDeployer;
import org.bulwark.api.env.NodeEnvironment;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Polls {@code SAFE/deploy} for {@code .safe} packages on its own thread. Polling rather than a
 * WatchService: it sees files copied in while the node was down, and works on every file system.
 */
@Component(
    service = {},
    immediate = true,
    configurationPid = "org.bulwark.deployer.folder")
public final class DeployFolderWatcher {

  /** How often the folder is scanned. */
  @ObjectClassDefinition(name = "Bulwark deploy folder")
  public @interface Config {
    @AttributeDefinition(description = "milliseconds between two scans of SAFE/deploy")
    long pollMillis() default 1000;
  }

  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;

  @Activate
  public DeployFolderWatcher(
      @Reference ModuleDeployer deployer, @Reference NodeEnvironment node, Config config) {
    DeployFolder folder = new DeployFolder(node.directories().safe().resolve("deploy"), deployer);
    long poll = Math.max(50, config.pollMillis());
    thread =
        new Thread(
            () -> {
              try {
                do {
                  folder.scan();
                } while (!stop.await(poll, TimeUnit.MILLISECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "bulwark-deploy-folder");
    thread.setDaemon(true);
    thread.start();
  }

  @Deactivate
  public void deactivate() throws InterruptedException {
    stop.countDown();
    thread.join(10_000);
  }
}
