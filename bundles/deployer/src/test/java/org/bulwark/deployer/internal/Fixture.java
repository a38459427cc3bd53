package org.bulwark.deployer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bulwark.api.env.SafeDirectories;
import org.bulwark.config.internal.XmlConfigService;
import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;

/** A node directory with a deployer on the real parser and a recording framework. */
final class Fixture extends ExternalResource {

  static final String FARM =
      String.join(
          "\n",
          "<!DOCTYPE safe>",
          "<safe>",
          "<service mode=\"farm\">",
          "  <farm><lan name=\"default\"/></farm>",
          "  <user/>",
          "</service>",
          "</safe>",
          "");

  static final String MIRROR =
      String.join(
          "\n",
          "<!DOCTYPE safe>",
          "<safe>",
          "<macro name=\"REPDIR\" value=\"/var/lib/app\"/>",
          "<service mode=\"mirror\">",
          "  <heart><heartbeat name=\"default\" ident=\"flow\"/></heart>",
          "  <rfs><replicated dir=\"%REPDIR%\"/></rfs>",
          "  <user/>",
          "</service>",
          "</safe>",
          "");

  final TemporaryFolder tmp = new TemporaryFolder();
  final RecordingBundles bundles = new RecordingBundles();
  final XmlConfigService config = new XmlConfigService();
  SafeDirectories dirs;
  LocalDeployer deployer;
  Instant now = Instant.parse("2026-11-22T03:00:00Z");

  @Override
  protected void before() throws Throwable {
    tmp.create();
    Path safe = tmp.newFolder("safe").toPath();
    dirs = new SafeDirectories(safe, safe.resolve("var"));
    deployer = deployer(SafeArchive.Limits.DEFAULT);
  }

  LocalDeployer deployer(SafeArchive.Limits limits) {
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        };
    return new LocalDeployer(dirs, config, bundles, limits, clock);
  }

  @Override
  protected void after() {
    tmp.delete();
  }

  /** A valid package in the {@code AM/conf/…} layout. */
  Path safe(String module, String userconfig) throws IOException {
    return safe(
        tmp.getRoot().toPath().resolve("pkg").resolve(module + ".safe"), module, userconfig);
  }

  Path safe(Path file, String top, String userconfig) throws IOException {
    return new ZipWriter()
        .dir(top + "/")
        .file(top + "/conf/userconfig.xml", userconfig)
        .executable(top + "/bin/start_both", "#!/bin/sh\n$SAFE/safekit printi \"start\"\n")
        .file(top + "/bin/stop_both", "#!/bin/sh\nexit 0\n")
        .write(file);
  }

  /**
   * Every path under SAFE/modules, hidden staging folders included: what a refusal must not leave.
   */
  List<String> modulesTree() throws IOException {
    List<String> tree = new java.util.ArrayList<>(tree(dirs.modules()));
    tree.remove("");
    return tree;
  }

  static List<String> tree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(p -> root.relativize(p).toString()).sorted().collect(Collectors.toList());
    }
  }
}
