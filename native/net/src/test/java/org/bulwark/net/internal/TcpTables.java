package org.bulwark.net.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.bulwark.api.config.Vip;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.net.FilterGroup;
import org.bulwark.api.net.FilterRule;
import org.bulwark.api.net.FilterTable;

/** Filter tables the tests write often. */
final class TcpTables {
  private TcpTables() {}

  /**
   * Group {@code G_i} holds {@code groups[i]} with one {@code on_addr} rule for TCP port 80 + i of
   * {@code vip} on {@code device}; no virtual MAC.
   */
  static FilterTable onAddr(String module, String device, InetAddress vip, BucketSet... groups) {
    List<FilterGroup> gs = new ArrayList<>();
    for (int i = 0; i < groups.length; i++) {
      gs.add(
          new FilterGroup(
              "G_" + i,
              groups[i],
              List.of(
                  new FilterRule(
                      device, vip, OptionalInt.of(80 + i), Vip.Proto.TCP, Vip.Filter.ON_ADDR))));
    }
    return new FilterTable(module, gs, List.of());
  }
}
