package org.bulwark.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.bulwark.api.net.AddressManager;
import org.bulwark.api.net.PacketFilter;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.CommandLogEntry;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Boots the built distribution in Pax Exam and checks from inside: every Bulwark bundle is active,
 * the store answers, the web port answers (issue 2 item 7).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionBootIT {
  static final String ADDRESS = "127.0.0.23";
  static final int WEB_PORT = 19011;

  @Inject BundleContext context;

  @Inject CommandLog commandLog;

  @Inject SessionFactory sessions;

  @Inject AddressManager addresses;

  @Inject PacketFilter filter;

  @Configuration
  public Option[] config() {
    String archive = System.getProperty("bulwark.distribution.archive");
    String localRepository = System.getProperty("maven.repo.local");
    return new Option[] {
      karafDistributionConfiguration()
          .frameworkUrl(new File(archive).toURI().toString())
          .name("bulwark")
          .karafVersion(System.getProperty("karaf.version"))
          .unpackDirectory(new File("target/exam"))
          .useDeployFolder(false),
      keepRuntimeFolder(),
      configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
      logLevel(LogLevel.WARN),
      new VMOption("-Xmx256m"),
      // bin/bulwark passes these with -D; Pax Exam starts Karaf itself, so set the defaults file
      editConfigurationFilePut("etc/custom.system.properties", "bulwark.addr", ADDRESS),
      editConfigurationFilePut(
          "etc/custom.system.properties", "bulwark.web.port", Integer.toString(WEB_PORT)),
      // the probe and Pax Exam's own bundles come from the build's local repository; the
      // distribution's own bundles from its system/ first: a local repository shared with other
      // builds may hold other snapshots of them
      editConfigurationFilePut(
          "etc/org.ops4j.pax.url.mvn.cfg",
          "org.ops4j.pax.url.mvn.localRepository",
          localRepository),
      editConfigurationFilePut(
          "etc/org.ops4j.pax.url.mvn.cfg",
          "org.ops4j.pax.url.mvn.defaultRepositories",
          "${karaf.home.uri}system@id=system.repository@snapshots,"
              + new File(localRepository).toURI()
              + "@id=local@snapshots"),
    };
  }

  @Test
  public void everyBulwarkBundleIsActive() {
    // the probe may run while the start level still rises: wait for it, with a deadline
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    List<String> inactive = inactiveBulwarkBundles();
    while (!inactive.isEmpty() && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      inactive = inactiveBulwarkBundles();
    }
    assertEquals("bundles not active", List.of(), inactive);
    List<String> bulwark = new ArrayList<>();
    for (Bundle b : context.getBundles()) {
      if (b.getSymbolicName().startsWith("bulwark-")) {
        bulwark.add(b.getSymbolicName());
      }
    }
    assertTrue(
        bulwark.toString(),
        bulwark.containsAll(
            List.of(
                "bulwark-api",
                "bulwark-node",
                "bulwark-store",
                "bulwark-shell",
                "bulwark-web",
                "bulwark-config",
                "bulwark-automaton",
                "bulwark-native-fuse",
                "bulwark-native-net",
                "bulwark-vip",
                "bulwark-module",
                "bulwark-deployer")));
  }

  private List<String> inactiveBulwarkBundles() {
    List<String> inactive = new ArrayList<>();
    for (Bundle b : context.getBundles()) {
      if (b.getSymbolicName().startsWith("bulwark-") && b.getState() != Bundle.ACTIVE) {
        inactive.add(b.getSymbolicName() + " (state " + b.getState() + ")");
      }
    }
    return inactive;
  }

  @Test
  public void theNetworkDriverAnswers() throws Exception {
    // the DS services of bulwark-native-net, with their JNA bindings to libc and libnftables
    assertTrue(addresses.find("lo").isPresent());
    assertEquals(java.util.Optional.empty(), filter.view("bulwark-boot-it-no-such-module"));
  }

  @Test
  public void theKarafShellRunsSafekitCommands() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream print = new java.io.PrintStream(out, true, "UTF-8");
    Session session = sessions.create(new java.io.ByteArrayInputStream(new byte[0]), print, print);
    // SafeKit's options before the command reach the node (the shell refuses undeclared ones)
    session.execute("bulwark:safekit -p");
    session.execute("bulwark:safekit -H \"[http:1],127.0.0.1\" -G");
    session.execute("bulwark:safekit level");
    session.execute("bulwark:modules");
    print.flush();
    String text = out.toString("UTF-8");
    assertTrue(text, text.contains("SAFEVAR="));
    assertTrue(text, text.contains("no distributed-command user on this node"));
    assertTrue(text, text.contains("License: Demo (No license)"));
    assertTrue(text, text.contains("Module") && text.contains("State"));
    List<CommandLogEntry> tail = commandLog.tail(2);
    // the shell goes through the same service as the client: the command is journaled
    assertEquals("level", tail.get(0).text());
    assertEquals("0", tail.get(1).text());
  }

  @Test
  public void theStoreAnswers() throws Exception {
    long id = commandLog.start("safekit", "itest", "level -m itest");
    commandLog.end(id, 0);
    List<CommandLogEntry> tail = commandLog.tail(2);
    assertEquals(CommandLogEntry.Kind.START, tail.get(0).kind());
    assertEquals("level -m itest", tail.get(0).text());
    assertEquals("0", tail.get(1).text());
    assertEquals(id, tail.get(1).id());
  }

  @Test
  public void theWebPortAnswers() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create("http://" + ADDRESS + ":" + WEB_PORT + "/api/v1.0/level");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpResponse<String> response = null;
    while (System.nanoTime() < deadline) {
      try {
        response =
            client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          break;
        }
      } catch (java.io.IOException notYetListening) {
        // the web bundle registers its servlets asynchronously: wait for the port, not a fixed time
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    assertTrue("no answer on " + uri, response != null);
    assertEquals(200, response.statusCode());
    assertTrue(response.body(), response.body().contains("\"version\":\"0.1.0.SNAPSHOT\""));
  }
}
