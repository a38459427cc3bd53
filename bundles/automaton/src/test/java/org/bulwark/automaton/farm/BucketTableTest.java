package org.bulwark.automaton.farm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.farm.GroupAllocation;
import org.junit.Test;

/** The allocation of a group's 256 buckets by power (spec D.3), case by case. */
public class BucketTableTest {

  private record Case(
      String what, Map<String, Integer> powers, Set<String> up, Map<String, Integer> loads) {}

  private static Map<String, Integer> m(Object... kv) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Integer) kv[i + 1]);
    }
    return m;
  }

  private static final List<Case> CASES =
      List.of(
          new Case("one node takes all", m("node1", 1), Set.of("node1"), m("node1", 256)),
          new Case(
              "two equal nodes: 128/256 each (spec D.1)",
              m("node1", 1, "node2", 1),
              Set.of("node1", "node2"),
              m("node1", 128, "node2", 128)),
          new Case(
              "one of two down: the other takes all",
              m("node1", 1, "node2", 1),
              Set.of("node2"),
              m("node1", 0, "node2", 256)),
          new Case(
              "power 2 takes twice the share",
              m("a", 1, "b", 2, "c", 1),
              Set.of("a", "b", "c"),
              m("a", 64, "b", 128, "c", 64)),
          new Case("1:3", m("a", 1, "b", 3), Set.of("a", "b"), m("a", 64, "b", 192)),
          new Case(
              "1:63 still shares (below the chain ratio)",
              m("a", 1, "b", 63),
              Set.of("a", "b"),
              m("a", 4, "b", 252)),
          new Case(
              "1:64 is a chain: the stronger takes all (spec D.3)",
              m("a", 1, "b", 64),
              Set.of("a", "b"),
              m("a", 0, "b", 256)),
          new Case(
              "chain 1, 64, 64²: the highest available takes all",
              m("a", 1, "b", 64, "c", 4096),
              Set.of("a", "b", "c"),
              m("a", 0, "b", 0, "c", 256)),
          new Case(
              "chain, highest down: the next one",
              m("a", 1, "b", 64, "c", 4096),
              Set.of("a", "b"),
              m("a", 0, "b", 256)),
          new Case(
              "chain, two down: the last one",
              m("a", 1, "b", 64, "c", 4096),
              Set.of("a"),
              m("a", 256)),
          new Case(
              "power 0 takes nothing (spec B.6)",
              m("a", 0, "b", 1),
              Set.of("a", "b"),
              m("a", 0, "b", 256)),
          new Case(
              "members outside the group are ignored",
              m("a", 1, "b", 1),
              Set.of("a", "b", "x"),
              m("a", 128, "b", 128, "x", 0)),
          new Case(
              "32 equal nodes: 8 each",
              equal(32),
              equal(32).keySet(),
              loads(equal(32).keySet(), 8)));

  private static Map<String, Integer> equal(int n) {
    Map<String, Integer> m = new TreeMap<>();
    for (int i = 1; i <= n; i++) {
      m.put("node" + i, 1);
    }
    return m;
  }

  private static Map<String, Integer> loads(Set<String> nodes, int each) {
    Map<String, Integer> m = new TreeMap<>();
    nodes.forEach(n -> m.put(n, each));
    return m;
  }

  static int[] counts(String[] owners, List<String> nodes) {
    int[] c = new int[nodes.size()];
    for (String o : owners) {
      int i = nodes.indexOf(o);
      if (i >= 0) {
        c[i]++;
      }
    }
    return c;
  }

  @Test
  public void table() {
    for (Case c : CASES) {
      String[] owners = BucketTable.of(c.powers).owners(c.up);
      c.loads.forEach(
          (node, load) ->
              assertEquals(
                  c.what + ": " + node,
                  (long) load,
                  Arrays.stream(owners).filter(node::equals).count()));
      long owned = Arrays.stream(owners).filter(o -> !o.isEmpty()).count();
      assertEquals(c.what + ": every bucket owned", 256, owned);
    }
  }

  @Test
  public void threeEqualNodesShare86_85_85AndOneDownSplitsItExactly() {
    Map<String, Integer> p = m("node1", 1, "node2", 1, "node3", 1);
    BucketTable t = BucketTable.of(p);
    List<String> nodes = List.of("node1", "node2", "node3");
    int[] all = counts(t.owners(Set.copyOf(nodes)), nodes);
    Arrays.sort(all);
    assertEquals("[85, 85, 86]", Arrays.toString(all));
    for (String down : nodes) {
      Set<String> up = new java.util.TreeSet<>(nodes);
      up.remove(down);
      int[] two = counts(t.owners(up), nodes);
      assertEquals(down + " down", 0, two[nodes.indexOf(down)]);
      for (String n : up) {
        assertEquals(down + " down: " + n, 128, two[nodes.indexOf(n)]);
      }
    }
  }

  @Test
  public void onlyPowerZeroMembersLeaveTheBucketsUnowned() {
    String[] owners = BucketTable.of(m("a", 0, "b", 1)).owners(Set.of("a"));
    assertTrue(Arrays.stream(owners).allMatch(String::isEmpty));
  }

  @Test
  public void twoNodesOwnComplementaryBitmaps() {
    BucketTable t = BucketTable.equal(List.of("node1", "node2"));
    GroupAllocation g =
        new GroupAllocation(
            "FarmProto",
            "FarmProto_0",
            List.of("node1", "node2"),
            List.of(t.owners(Set.of("node1", "node2"))));
    BucketSet a = g.buckets("node1");
    BucketSet b = g.buckets("node2");
    assertEquals(BucketSet.ALL, a.union(b));
    assertEquals(BucketSet.EMPTY, a.intersect(b));
    assertEquals("50%", g.share("node1"));
    assertEquals(a, BucketSet.fromWords(a.words()));
  }

  /**
   * The hash and the construction are part of the farm protocol: nodes of different versions must
   * compute the same allocation. A change here must change the pulse codec's version.
   */
  @Test
  public void theAllocationIsPinned() {
    BucketTable t = BucketTable.equal(List.of("node1", "node2", "node3"));
    String[] owners = t.owners(Set.of("node1", "node2", "node3"));
    GroupAllocation g =
        new GroupAllocation("g", "g_0", List.of("node1", "node2", "node3"), List.of(owners));
    assertEquals(PINNED_NODE1, g.buckets("node1").toString());
    assertEquals(List.of("node1", "node2", "node3"), t.preferences(0));
  }

  static final String PINNED_NODE1 =
      "7581c3c1 65281441 83c81f72 80308100 57594051 5202c101 c0a27851 00352904";
}
