package org.bulwark.net.internal;

import static org.junit.Assert.assertEquals;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.bulwark.api.config.Vip;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.net.FilterGroup;
import org.bulwark.api.net.FilterRule;
import org.bulwark.api.net.FilterTable;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.net.VirtualMac;
import org.junit.Test;

/** The nft text of a module's filter (golden), and the bucket view read back from a listing. */
public class NftScriptTest {
  @Test
  public void aModulesTableAndItsGuardAreReplacedInOneScript() throws Exception {
    InetAddress vip = InetAddress.getByName("192.168.56.20");
    InetAddress vip6 = InetAddress.getByName("fd00::20");
    FilterTable t =
        new FilterTable(
            "apache_farm",
            List.of(
                new FilterGroup(
                    "APACHE_0",
                    Buckets.range(0, 63).union(BucketSet.of(200)),
                    List.of(
                        new FilterRule(
                            "eth0", vip, OptionalInt.of(80), Vip.Proto.TCP, Vip.Filter.ON_ADDR),
                        new FilterRule(
                            "eth0", vip, OptionalInt.empty(), Vip.Proto.UDP, Vip.Filter.ON_IPID),
                        new FilterRule(
                            "eth0", vip6, OptionalInt.of(443), Vip.Proto.TCP, Vip.Filter.ON_PORT),
                        new FilterRule(
                            "eth0", vip, OptionalInt.empty(), Vip.Proto.ARP, Vip.Filter.ON_ADDR)),
                    List.of(
                        new FilterGroup.Forward(
                            InetAddress.getByName("192.168.56.2"), Buckets.range(64, 127)))),
                new FilterGroup(
                    "CLOSED_1",
                    BucketSet.EMPTY,
                    List.of(
                        new FilterRule(
                            "eth1", vip, OptionalInt.of(53), Vip.Proto.UDP, Vip.Filter.ON_PORT)))),
            List.of(
                new VirtualMac("eth0", MacAddress.parse("5a:fe:c0:a8:38:14"), List.of(vip, vip6))));
    assertEquals(
        """
        add table netdev bulwark_apache__farm { flags owner; }
        delete table netdev bulwark_apache__farm
        add table netdev bulwark_apache__farm_guard
        delete table netdev bulwark_apache__farm_guard
        table netdev bulwark_apache__farm {
          flags owner
          comment "bulwark farm filter of module apache_farm"
          chain in0 {
            type filter hook ingress device "eth0" priority -150; policy accept;
            meta mark set meta mark | 0x00100000
            ether daddr 5a:fe:c0:a8:38:14 meta pkttype set host
            ip daddr 192.168.56.20 tcp dport 80 jhash ip saddr mod 256 seed 0x5afe { 64-127 } fwd ip to 192.168.56.2 device "eth0" comment "group APACHE_0 forward 192.168.56.2"
            ip daddr 192.168.56.20 tcp dport 80 jhash ip saddr mod 256 seed 0x5afe != { 0-63, 200 } drop comment "group APACHE_0"
            ip daddr 192.168.56.20 meta l4proto udp jhash ip id mod 256 seed 0x5afe { 64-127 } fwd ip to 192.168.56.2 device "eth0" comment "group APACHE_0 forward 192.168.56.2"
            ip daddr 192.168.56.20 meta l4proto udp jhash ip id mod 256 seed 0x5afe != { 0-63, 200 } drop comment "group APACHE_0"
            ip6 daddr fd00::20 tcp dport 443 jhash tcp sport mod 256 seed 0x5afe != { 0-63, 200 } drop comment "group APACHE_0"
            arp operation request arp daddr ip 192.168.56.20 jhash arp saddr ip mod 256 seed 0x5afe != { 0-63, 200 } drop comment "group APACHE_0"
          }
          chain out0 {
            type filter hook egress device "eth0" priority -150; policy accept;
            meta mark set meta mark | 0x00100000
            arp saddr ip 192.168.56.20 arp saddr ether set 5a:fe:c0:a8:38:14
            icmpv6 type nd-neighbor-advert @th,64,128 0xfd000000000000000000000000000020 @th,192,16 0x0201 @th,0,16 set @th,208,16 icmpv6 type set 0 icmpv6 code set 0 @th,0,16 set @th,224,16 icmpv6 type set 0 icmpv6 code set 0 @th,0,16 set @th,240,16 icmpv6 type set 0 icmpv6 code set 0 icmpv6 type set 0x53 icmpv6 code set 0xbb @th,0,16 set 0x8800 @th,208,48 set 0x5afec0a83814
            ip6 saddr fd00::20 icmpv6 type nd-neighbor-solicit @th,192,16 0x0101 @th,0,16 set @th,208,16 icmpv6 type set 0 icmpv6 code set 0 @th,0,16 set @th,224,16 icmpv6 type set 0 icmpv6 code set 0 @th,0,16 set @th,240,16 icmpv6 type set 0 icmpv6 code set 0 icmpv6 type set 0x53 icmpv6 code set 0xbb @th,0,16 set 0x8700 @th,208,48 set 0x5afec0a83814
          }
          chain in1 {
            type filter hook ingress device "eth1" priority -150; policy accept;
            meta mark set meta mark | 0x00100000
            ip daddr 192.168.56.20 udp dport 53 drop comment "group CLOSED_1"
          }
        }
        table netdev bulwark_apache__farm_guard {
          comment "bulwark guard of module apache_farm: drops the VIPs' traffic when the node's process is gone"
          chain in0 {
            type filter hook ingress device "eth0" priority -140; policy accept;
            ip daddr 192.168.56.20 meta mark & 0x00100000 == 0 drop
            arp daddr ip 192.168.56.20 meta mark & 0x00100000 == 0 drop
            ip6 daddr fd00::20 meta mark & 0x00100000 == 0 drop
            icmpv6 type nd-neighbor-solicit @th,64,128 0xfd000000000000000000000000000020 meta mark & 0x00100000 == 0 drop
            meta mark set meta mark & 0xffefffff
          }
          chain out0 {
            type filter hook egress device "eth0" priority -140; policy accept;
            arp saddr ip 192.168.56.20 meta mark & 0x00100000 == 0 drop
            icmpv6 type nd-neighbor-advert @th,64,128 0xfd000000000000000000000000000020 meta mark & 0x00100000 == 0 drop
            ip6 saddr fd00::20 icmpv6 type nd-neighbor-solicit meta mark & 0x00100000 == 0 drop
            meta mark set meta mark & 0xffefffff
          }
          chain in1 {
            type filter hook ingress device "eth1" priority -140; policy accept;
            ip daddr 192.168.56.20 meta mark & 0x00100000 == 0 drop
            arp daddr ip 192.168.56.20 meta mark & 0x00100000 == 0 drop
            meta mark set meta mark & 0xffefffff
          }
        }
        """,
        NftScript.replace(t));
  }

  @Test
  public void anIpv6VipIsGuardedAgainstNeighbourDiscoveryWithoutVirtualMac() throws Exception {
    // vmac_directed: no rewrite, but the filter marks at egress so that the guard lets the
    // living node's neighbour discovery out and drops a dead node's
    FilterTable t =
        TcpTables.onAddr("m", "eth0", InetAddress.getByName("fd00:f6::64"), BucketSet.ALL);
    String target = "@th,64,128 0xfd0000f6000000000000000000000064";
    assertEquals(
        """
        add table netdev bulwark_m { flags owner; }
        delete table netdev bulwark_m
        add table netdev bulwark_m_guard
        delete table netdev bulwark_m_guard
        table netdev bulwark_m {
          flags owner
          comment "bulwark farm filter of module m"
          chain in0 {
            type filter hook ingress device "eth0" priority -150; policy accept;
            meta mark set meta mark | 0x00100000
            ip6 daddr fd00:f6::64 tcp dport 80 jhash ip6 saddr mod 256 seed 0x5afe != { 0-255 } drop comment "group G_0"
          }
          chain out0 {
            type filter hook egress device "eth0" priority -150; policy accept;
            meta mark set meta mark | 0x00100000
          }
        }
        table netdev bulwark_m_guard {
          comment "bulwark guard of module m: drops the VIPs' traffic when the node's process is gone"
          chain in0 {
            type filter hook ingress device "eth0" priority -140; policy accept;
            ip6 daddr fd00:f6::64 meta mark & 0x00100000 == 0 drop
            icmpv6 type nd-neighbor-solicit TARGET meta mark & 0x00100000 == 0 drop
            meta mark set meta mark & 0xffefffff
          }
          chain out0 {
            type filter hook egress device "eth0" priority -140; policy accept;
            icmpv6 type nd-neighbor-advert TARGET meta mark & 0x00100000 == 0 drop
            ip6 saddr fd00:f6::64 icmpv6 type nd-neighbor-solicit meta mark & 0x00100000 == 0 drop
            meta mark set meta mark & 0xffefffff
          }
        }
        """
            .replace("TARGET", target),
        NftScript.replace(t));
  }

  @Test
  public void listingIsReadBackPerGroup() throws Exception {
    String listing =
        """
        table netdev bulwark_m {
        \tchain in0 {
        \t\ttype filter hook ingress device "eth0" priority -150; policy accept;
        \t\tip daddr 10.0.0.1 tcp dport 80 jhash ip saddr mod 256 seed 0x5afe { 64, 66 } fwd ip to 10.0.0.2 device "eth0" comment "group A_0 forward 10.0.0.2"
        \t\tip daddr 10.0.0.1 tcp dport 80 jhash ip saddr mod 256 seed 0x5afe { 68-199 } fwd ip to 10.0.0.3 device "eth0" comment "group A_0 forward 10.0.0.3"
        \t\tip daddr 10.0.0.1 tcp dport 80 jhash ip saddr mod 256 seed 0x5afe != { 0-63, 65,
        \t\t\t     67, 200-255 } drop comment "group A_0"
        \t\tip daddr 10.0.0.1 tcp dport 81 jhash ip saddr mod 256 seed 0x5afe != 0-255 drop comment "group B_1"
        \t\tip daddr 10.0.0.1 tcp dport 82 jhash ip saddr mod 256 seed 0x5afe != 7 drop comment "group C_2"
        \t\tip daddr 10.0.0.1 udp dport 53 drop comment "group D_3"
        \t}
        }
        """;
    assertEquals(
        Map.of(
            "A_0",
            Buckets.range(0, 63).union(BucketSet.of(65, 67)).union(Buckets.range(200, 255)),
            "B_1",
            BucketSet.ALL,
            "C_2",
            BucketSet.of(7),
            "D_3",
            BucketSet.EMPTY),
        NftListing.groups(listing));
    assertEquals(
        Map.of(
            "A_0",
            List.of(
                new FilterGroup.Forward(InetAddress.getByName("10.0.0.2"), BucketSet.of(64, 66)),
                new FilterGroup.Forward(
                    InetAddress.getByName("10.0.0.3"), Buckets.range(68, 199)))),
        NftListing.forwards(listing));
  }
}
