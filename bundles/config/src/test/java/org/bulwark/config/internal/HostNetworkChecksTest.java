package org.bulwark.config.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.HostNetwork;
import org.bulwark.api.config.ModuleConfig;
import org.junit.Test;

/**
 * {@code safekit config} checks a {@code <vip>} against this node (spec B.6): an interface it lacks
 * and an address something else holds here are errors with file, line, column and attribute; the
 * file alone (no node) is not checked that way.
 */
public class HostNetworkChecksTest {

  /** A node with eth0 only, where 10.0.0.9 is held by something else than the module. */
  static final class Node implements HostNetwork {
    final List<String> asked = new ArrayList<>();

    @Override
    public Optional<String> interfaceProblem(String name) {
      asked.add("interface " + name);
      return name.equals("eth0")
          ? Optional.empty()
          : Optional.of("no interface named '" + name + "' on this node; its interfaces: lo, eth0");
    }

    @Override
    public Optional<String> localAddressProblem(String address) {
      asked.add("local " + address);
      return address.equals("10.0.0.1")
          ? Optional.empty()
          : Optional.of(address + " is not an address of this node");
    }

    @Override
    public Optional<String> addressProblem(String module, String address, Optional<String> device) {
      asked.add("address " + module + " " + address + " " + device.orElse("-"));
      return address.equals("10.0.0.9")
          ? Optional.of("10.0.0.9 is already used on this node (eth0) by something else")
          : Optional.empty();
    }
  }

  static final String MIRROR =
      """
      <!DOCTYPE safe>
      <safe>
        <macro name="VIRTUAL_IP" value="10.0.0.9"/>
        <service mode="mirror">
          <heart><heartbeat name="default"/></heart>
          <vip>
            <interface_list>
              <interface name="eth7">
                <real_interface>
                  <virtual_addr addr="10.0.0.100" where="one_side_alias"/>
                </real_interface>
              </interface>
              <interface>
                <real_interface>
                  <virtual_addr addr="%VIRTUAL_IP%" where="one_side_alias"/>
                </real_interface>
              </interface>
            </interface_list>
          </vip>
        </service>
      </safe>
      """;

  private static ConfigResult<ModuleConfig> parse(String xml, Optional<HostNetwork> host) {
    return TestFiles.SERVICE.parseModule(
        "userconfig.xml",
        xml.getBytes(StandardCharsets.UTF_8),
        host.map(TestFiles.CONTEXT::withHost).orElse(TestFiles.CONTEXT));
  }

  @Test
  public void unknownInterfaceAndAddressInUse_reportedAtTheirAttributes() {
    Node node = new Node();
    ConfigResult<ModuleConfig> r = parse(MIRROR, Optional.of(node));
    assertEquals(
        List.of(
            "userconfig.xml:8:20: /safe/service/vip/interface_list/interface[1]/@name: no interface"
                + " named 'eth7' on this node; its interfaces: lo, eth0",
            "userconfig.xml:15:27:"
                + " /safe/service/vip/interface_list/interface[2]/real_interface/virtual_addr/@addr:"
                + " 10.0.0.9 is already used on this node (eth0) by something else (value from macro"
                + " VIRTUAL_IP)"),
        SeedConfigurationTest.formatted(r.errors()));
    assertEquals(
        List.of("interface eth7", "address AM 10.0.0.100 eth7", "address AM 10.0.0.9 -"),
        node.asked);
  }

  @Test
  public void withoutTheNode_onlyTheFileIsChecked() {
    assertTrue(
        parse(MIRROR, Optional.empty()).errors().toString(),
        parse(MIRROR, Optional.empty()).isValid());
  }

  @Test
  public void aFarmsAddressesAreLeftToTheFarm_itsInterfacesAreChecked() {
    String farm =
        """
        <!DOCTYPE safe>
        <safe>
          <service mode="farm">
            <farm><lan name="default"/></farm>
            <vip>
              <interface_list>
                <interface name="eth7">
                  <virtual_interface type="vmac_directed">
                    <virtual_addr addr="10.0.0.9" where="alias"/>
                  </virtual_interface>
                </interface>
              </interface_list>
            </vip>
          </service>
        </safe>
        """;
    Node node = new Node();
    ConfigResult<ModuleConfig> r = parse(farm, Optional.of(node));
    assertEquals(1, r.errors().size());
    assertEquals(List.of("interface eth7"), node.asked);
  }

  @Test
  public void anIntfCheckerNamingNoAddressOfThisNode_isRefusedAtItsAttribute() {
    String xml =
        """
        <!DOCTYPE safe>
        <safe>
          <service mode="mirror">
            <heart><heartbeat name="default"/></heart>
            <check>
              <intf ident="lan"><to local_addr="10.0.0.1"/></intf>
              <intf ident="gone"><to local_addr="10.0.0.77"/></intf>
            </check>
          </service>
        </safe>
        """;
    Node node = new Node();
    ConfigResult<ModuleConfig> r = parse(xml, Optional.of(node));
    assertEquals(
        List.of(
            "userconfig.xml:7:30: /safe/service/check/intf[2]/to/@local_addr: 10.0.0.77 is not"
                + " an address of this node"),
        SeedConfigurationTest.formatted(r.errors()));
    assertEquals(List.of("local 10.0.0.1", "local 10.0.0.77"), node.asked);
    assertTrue(parse(xml, Optional.empty()).isValid());
  }
}
