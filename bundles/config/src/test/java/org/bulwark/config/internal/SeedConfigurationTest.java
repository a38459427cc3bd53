package org.bulwark.config.internal;

import static org.bulwark.config.internal.TestFiles.CONTEXT;
import static org.bulwark.config.internal.TestFiles.SERVICE;
import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.bulwark.api.config.Check;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.Errd;
import org.bulwark.api.config.Farm;
import org.bulwark.api.config.Heart;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.api.config.Node;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.api.config.User;
import org.bulwark.api.config.Vip;
import org.junit.Test;

/**
 * Every configuration of the seeds (issue 3): the cluster files of the user guide's cloud chapter,
 * the mirror module of the cloud guide, the Apache farm module; each parses to the model below,
 * value by value. Files are the seed text as published (src/test/resources/seeds).
 */
public class SeedConfigurationTest {

  private static ClusterConfig cluster(String n1, String a1, String n2, String a2) {
    return new ClusterConfig(
        4800,
        Duration.ofMillis(100),
        20,
        10,
        List.of(
            new Lan(
                "default",
                false,
                List.of(new Node(n1, a1, Optional.empty()), new Node(n2, a2, Optional.empty())))));
  }

  private static ClusterConfig parseCluster(String name) {
    return SERVICE.parseCluster(name, TestFiles.bytes("seeds/" + name)).orElseThrow();
  }

  @Test
  public void awsClusterFile() {
    assertEquals(
        cluster("Server1", "10.0.11.10", "Server2", "10.0.12.10"), parseCluster("cluster-aws.xml"));
  }

  @Test
  public void azureClusterFile() {
    assertEquals(
        cluster("Server1", "10.0.0.10", "Server2", "10.0.0.11"), parseCluster("cluster-azure.xml"));
  }

  @Test
  public void gcpClusterFileWithNoBreakSpacesAndPaddedNames() {
    assertEquals(
        cluster("Inst1", "10.132.0.4", "Inst2", "10.32.0.6"), parseCluster("cluster-gcp.xml"));
  }

  private static ModuleConfig mirror(String dir1, String dir2) {
    ServiceConfig service =
        new ServiceConfig(
            ServiceConfig.Mode.MIRROR,
            ServiceConfig.Boot.IGNORE,
            Duration.ZERO,
            true,
            "alone",
            3,
            Duration.ofHours(24),
            false);
    Heart heart =
        new Heart(
            OptionalInt.empty(),
            Duration.ofMillis(700),
            Duration.ofMillis(30000),
            true,
            List.of(
                new Heart.Heartbeat(
                    "default",
                    "flow",
                    Duration.ofMillis(700),
                    Duration.ofMillis(30000),
                    List.of())));
    Errd errd =
        new Errd(
            Duration.ofSeconds(10),
            List.of(
                new Errd.Proc(
                    "PROCESS_NAME",
                    false,
                    Optional.empty(),
                    Optional.empty(),
                    1,
                    -1,
                    "restart",
                    List.of(),
                    "prim",
                    0)));
    Rfs rfs =
        new Rfs(
            false,
            Rfs.Async.SECOND,
            Duration.ofSeconds(300),
            "0x10",
            Duration.ofSeconds(100),
            Duration.ofSeconds(30),
            3,
            8388608L,
            4,
            Duration.ofSeconds(150),
            0,
            false,
            0,
            1,
            Duration.ofMillis(220000),
            Duration.ofSeconds(120),
            true,
            false,
            OptionalLong.empty(),
            Duration.ZERO,
            Optional.empty(),
            OptionalLong.empty(),
            8388608L,
            "_For_SafeKit_Replication",
            Optional.empty(),
            List.of(),
            List.of(
                new Rfs.Replicated(dir1, true, List.of(), List.of()),
                new Rfs.Replicated(dir2, true, List.of(), List.of())));
    User user = new User(Duration.ofSeconds(300), Duration.ofSeconds(300), true, 2048, List.of());
    return new ModuleConfig(
        "AM",
        1,
        Map.of(),
        service,
        Optional.of(heart),
        Optional.empty(),
        Optional.empty(),
        Optional.of(rfs),
        Optional.of(user),
        Optional.empty(),
        Optional.of(errd),
        Check.NONE,
        Optional.empty());
  }

  @Test
  public void mirrorModuleOfTheCloudGuideWindows() {
    ModuleConfig parsed =
        SERVICE
            .parseModule(
                "userconfig.xml", TestFiles.bytes("seeds/mirror-windows.userconfig.xml"), CONTEXT)
            .orElseThrow();
    assertEquals(mirror("c:\\test1replicated", "c:\\test2replicated"), parsed);
  }

  @Test
  public void mirrorModuleOfTheCloudGuideLinux() {
    ModuleConfig parsed =
        SERVICE
            .parseModule(
                "userconfig.xml", TestFiles.bytes("seeds/mirror-linux.userconfig.xml"), CONTEXT)
            .orElseThrow();
    assertEquals(mirror("/test1replicated", "/test2replicated"), parsed);
  }

  /** The web page renders two quotes as U+201D: as published, the Linux file is not XML. */
  @Test
  public void mirrorModuleAsRenderedOnTheWebPageIsReportedNotCrashed() {
    ConfigResult<ModuleConfig> result =
        SERVICE.parseModule(
            "userconfig.xml",
            TestFiles.bytes("seeds/mirror-linux-verbatim.userconfig.xml"),
            CONTEXT);
    assertEquals(
        List.of(
            "userconfig.xml:7:17: /safe/service/heart: malformed XML: Open quote is"
                + " expected for attribute \"name\" associated with an  element type  \"heartbeat\"."),
        formatted(result.errors()));
  }

  /**
   * The farm module ships with placeholder macro values, which the console replaces: as shipped it
   * is not valid, and the errors say which macro to set.
   */
  @Test
  public void apacheFarmModuleAsShippedNamesThePlaceholders() {
    for (String os : List.of("windows", "linux")) {
      ConfigResult<ModuleConfig> result =
          SERVICE.parseModule(
              "userconfig.xml",
              TestFiles.bytes("seeds/apache-farm-" + os + ".userconfig.xml"),
              CONTEXT);
      String vip =
          "'VIRTUAL_IP_TO_BE_DEFINED' is not a valid IPv4, IPv6 address or DNS name "
              + "(value from macro VIRTUAL_IP)";
      assertEquals(
          List.of(
              "userconfig.xml:17:15: /safe/service/vip/interface_list/interface/virtual_interface/"
                  + "virtual_addr/@addr: "
                  + vip,
              "userconfig.xml:24:7: /safe/service/vip/loadbalancing_list/group/rule/@port: invalid "
                  + "value 'TCP_PORT_TO_BE_DEFINED' for attribute 'port' of <rule>; expected a port,"
                  + " or * (value from macro APACHE_PORT)",
              "userconfig.xml:33:1: /safe/service/check/tcp/to/@addr: " + vip,
              "userconfig.xml:34:1: /safe/service/check/tcp/to/@port: invalid value "
                  + "'TCP_PORT_TO_BE_DEFINED' for attribute 'port' of <to>; expected an integer "
                  + "between 1 and 65535 (value from macro APACHE_PORT)"),
          formatted(result.errors()));
    }
  }

  @Test
  public void apacheFarmModuleWithItsMacrosSet() {
    String text =
        TestFiles.text("seeds/apache-farm-linux.userconfig.xml")
            .replace("VIRTUAL_IP_TO_BE_DEFINED", "192.168.1.20")
            .replace("TCP_PORT_TO_BE_DEFINED", "80");
    ModuleConfig parsed =
        SERVICE
            .parseModule("userconfig.xml", text.getBytes(StandardCharsets.UTF_8), CONTEXT)
            .orElseThrow();
    Map<String, String> macros = new LinkedHashMap<>();
    macros.put("VIRTUAL_IP", "192.168.1.20");
    macros.put("APACHE_PORT", "80");
    ServiceConfig service =
        new ServiceConfig(
            ServiceConfig.Mode.FARM,
            ServiceConfig.Boot.IGNORE,
            Duration.ZERO,
            true,
            "alone",
            3,
            Duration.ofHours(24),
            false);
    Farm farm =
        new Farm(
            OptionalInt.empty(),
            Duration.ofMillis(100),
            20,
            10,
            List.of(new Farm.Lan("default", List.of())));
    Vip vip =
        new Vip(
            true,
            false,
            List.of(
                new Vip.Interface(
                    true,
                    true,
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(1200),
                    Optional.empty(),
                    true,
                    Optional.of(Vip.VmacType.VMAC_DIRECTED),
                    Optional.empty(),
                    List.of(
                        new Vip.Address(
                            "192.168.1.20", Vip.Where.ALIAS, true, false, Optional.empty())))),
            List.of(
                new Vip.Group(
                    "APACHE",
                    List.of(),
                    List.of(new Vip.Rule("*", "80", Vip.Proto.TCP, Vip.Filter.ON_ADDR)))));
    Check check =
        new Check(
            List.of(
                new Check.Tcp(
                    "HTTP_APACHE",
                    Check.When.BOTH,
                    Check.Action.RESTART,
                    "192.168.1.20",
                    80,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(5))),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            Optional.empty());
    User user = new User(Duration.ofSeconds(300), Duration.ofSeconds(300), true, 2048, List.of());
    ModuleConfig expected =
        new ModuleConfig(
            "AM",
            1,
            macros,
            service,
            Optional.empty(),
            Optional.of(farm),
            Optional.of(vip),
            Optional.empty(),
            Optional.of(user),
            Optional.empty(),
            Optional.empty(),
            check,
            Optional.empty());
    assertEquals(expected, parsed);
    assertEquals(4803, parsed.farm().orElseThrow().effectivePort(parsed.moduleId()));
  }

  @Test
  public void macrosMayComeFromTheEnvironment() {
    String text =
        TestFiles.text("seeds/apache-farm-linux.userconfig.xml").replaceAll("<macro [^>]*>", "");
    ModuleContext context =
        new ModuleContext(
            "AM", 2, Map.of("VIRTUAL_IP", "10.0.0.1", "APACHE_PORT", "8080"), Optional.empty());
    ModuleConfig parsed =
        SERVICE
            .parseModule("userconfig.xml", text.getBytes(StandardCharsets.UTF_8), context)
            .orElseThrow();
    assertEquals("10.0.0.1", parsed.vip().orElseThrow().addresses().get(0).addr());
    assertEquals(8080, parsed.check().tcp().get(0).port());
    assertEquals(4806, parsed.farm().orElseThrow().effectivePort(2));
  }

  static List<String> formatted(List<ConfigurationError> errors) {
    return errors.stream().map(ConfigurationError::format).toList();
  }
}
