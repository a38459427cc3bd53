package org.bulwark.automaton.farm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bulwark.api.farm.BucketSet;

/**
 * The allocation of one group's 256 buckets among its members, weighted by {@code power} (spec D.3;
 * the algorithm is ours: spec I.2). Built once from the group's hosts and powers; {@link #owners}
 * then maps any set of members to the owner of each bucket, as a pure function of that set, so
 * every node computes the same allocation from the same view.
 *
 * <p><b>Rendezvous with designed preference lists.</b> Each bucket has a preference list over all
 * the group's hosts; its owner is the first host of its list that is a member. That gives minimal
 * movement exactly: when a member leaves, only its buckets move (to their next choice), when one
 * joins, only the buckets it takes move, so connections to the other members are never moved. Plain
 * rendezvous hashing draws the lists at random, so with 256 buckets the shares are binomial (3
 * equal nodes: 85 ± 7.5 each; 32 nodes: 8 ± 2.8). Here the first {@value #DESIGNED_LEVELS} levels
 * of the lists are built for exact shares: at level {@code k} the buckets are grouped by the set
 * {@code R} of their first {@code k} choices, which are exactly the buckets still undecided in the
 * view "every host but R"; each group is split so that this view gets each host's quota (largest
 * remainder of {@code 256 × power / total}) less what it owns there already. So with all hosts up
 * the shares are exact (the exact share rounded down or up); with one down too, except when the
 * buckets the members keep already exceed the rounding's room (rare, with mixed powers: one share
 * then ends a bucket below its floor, since kept buckets never move); with two down within a bucket
 * or two. The rest of each list is weighted rendezvous (each host first with probability
 * proportional to its power), which views with many hosts down fall back to.
 *
 * <p>Within a split, which bucket goes to which host is decided by a rendezvous score (a 64-bit
 * hash of bucket and host name), buckets taken in decreasing score order by hosts with quota left,
 * so the buckets of one node are spread over the whole range and no two groups look alike.
 *
 * <p><b>Chain rule.</b> At each split, a host whose power is 64 times smaller or more than the
 * strongest host still available takes nothing (spec D.3: powers 1, 64, 64² make the highest
 * available node take all 256 buckets). Hosts of power 0 never own a bucket.
 *
 * <p>The hash ({@link #hash}) and this construction are part of the farm protocol: two nodes with
 * different versions would disagree, so the pulse codec's version changes with them.
 */
public final class BucketTable {

  static final int BUCKETS = BucketSet.BUCKETS;

  /** Powers this many times smaller than the strongest available take nothing (spec D.3). */
  static final long CHAIN_RATIO = 64;

  /**
   * Levels of the lists built for exact shares; deeper ones are plain weighted rendezvous: level k
   * serves the views with k hosts down, and below it the groups are a bucket or two, where quotas
   * would favour the hosts whose tiny shares round down everywhere.
   */
  static final int DESIGNED_LEVELS = 3;

  /** The packing of {@link #split}'s sort keys allows this many hosts. */
  static final int MAX_HOSTS = 4095;

  private final String[] hosts;
  private final int[] power;
  private final long[] hostHash;

  /** {@code lists[b]}: host indexes in bucket b's order of preference. */
  private final short[][] lists;

  private BucketTable(String[] hosts, int[] power) {
    this.hosts = hosts;
    this.power = power;
    this.hostHash = new long[hosts.length];
    for (int i = 0; i < hosts.length; i++) {
      hostHash[i] = hash(hosts[i]);
    }
    this.lists = new short[BUCKETS][hosts.length];
    build();
  }

  /**
   * The table of a group whose hosts have these powers. Hosts of power 0 are left out (they never
   * own a bucket); the order of the map does not matter.
   */
  public static BucketTable of(Map<String, Integer> powers) {
    SortedMap<String, Integer> sorted = new TreeMap<>();
    powers.forEach(
        (host, p) -> {
          if (p < 0) {
            throw new IllegalArgumentException("power of " + host + " is negative: " + p);
          }
          if (p > 0) {
            sorted.put(host, p);
          }
        });
    if (sorted.size() > MAX_HOSTS) {
      throw new IllegalArgumentException("too many hosts: " + sorted.size());
    }
    return new BucketTable(
        sorted.keySet().toArray(String[]::new),
        sorted.values().stream().mapToInt(Integer::intValue).toArray());
  }

  /** Equal power 1 for each host: a group without {@code <cluster>} (spec B.6). */
  public static BucketTable equal(Collection<String> hosts) {
    Map<String, Integer> m = new TreeMap<>();
    hosts.forEach(h -> m.put(h, 1));
    return of(m);
  }

  /** The hosts that can own buckets (power above 0), in name order. */
  public List<String> hosts() {
    return List.of(hosts);
  }

  /**
   * The owner of each bucket when {@code members} are the members of the view: the first member in
   * the bucket's preference list, or the empty string when no member may own buckets. Members that
   * are not hosts of the group (or have power 0) are ignored.
   */
  public String[] owners(Set<String> members) {
    boolean[] in = new boolean[hosts.length];
    for (int i = 0; i < hosts.length; i++) {
      in[i] = members.contains(hosts[i]);
    }
    String[] owners = new String[BUCKETS];
    for (int b = 0; b < BUCKETS; b++) {
      owners[b] = "";
      for (short h : lists[b]) {
        if (in[h]) {
          owners[b] = hosts[h];
          break;
        }
      }
    }
    return owners;
  }

  /** Bucket b's preference list (for tests and {@code vip_if_ctrl}-style diagnostics). */
  public List<String> preferences(int bucket) {
    List<String> l = new ArrayList<>();
    for (short h : lists[bucket]) {
      l.add(hosts[h]);
    }
    return l;
  }

  /**
   * Level by level, gives every bucket its next choice. At level {@code k} the buckets are grouped
   * by the set {@code R} of their first {@code k} choices: in the view of every host but {@code R},
   * these are exactly the buckets whose owner is not decided yet, while every other bucket's owner
   * is. Each group is split so that this view gets its exact shares: each host gets its quota of
   * the view less what it already owns there.
   */
  private void build() {
    int n = hosts.length;
    for (int depth = 0; depth < Math.min(n, DESIGNED_LEVELS); depth++) {
      Map<java.util.BitSet, List<Integer>> groups = new LinkedHashMap<>();
      for (int b = 0; b < BUCKETS; b++) {
        java.util.BitSet r = new java.util.BitSet(n);
        for (int j = 0; j < depth; j++) {
          r.set(lists[b][j]);
        }
        groups.computeIfAbsent(r, x -> new ArrayList<>()).add(b);
      }
      for (Map.Entry<java.util.BitSet, List<Integer>> e : groups.entrySet()) {
        split(e.getValue().stream().mapToInt(Integer::intValue).toArray(), e.getKey(), depth);
      }
    }
    for (int b = 0; b < BUCKETS; b++) {
      rendezvous(b, Math.min(n, DESIGNED_LEVELS));
    }
  }

  /**
   * The rest of bucket b's list from {@code depth} on: weighted rendezvous (the eligible host with
   * the highest {@code power / -ln(u)}, u a hash of bucket and host in (0, 1)), so that in views
   * with many hosts down each host is first with probability proportional to its power.
   */
  private void rendezvous(int b, int depth) {
    java.util.BitSet removed = new java.util.BitSet(hosts.length);
    for (int j = 0; j < depth; j++) {
      removed.set(lists[b][j]);
    }
    long bucketKey = mix(b * 0x9E37_79B9_7F4A_7C15L + 0x632B_E59B_D9B4_E019L);
    for (int j = depth; j < hosts.length; j++) {
      int best = -1;
      double bestScore = 0;
      for (int h : eligible(removed)) {
        long x = mix(hostHash[h] ^ bucketKey);
        double u = ((x >>> 11) + 0.5) / (1L << 53);
        double score = power[h] / -Math.log(u);
        if (best < 0 || score > bestScore) {
          best = h;
          bestScore = score;
        }
      }
      lists[b][j] = (short) best;
      removed.set(best);
    }
  }

  /** Gives the buckets of {@code group}, whose first choices are the hosts of {@code removed}. */
  private void split(int[] group, java.util.BitSet removed, int depth) {
    long key = 0x5AFE_F4A2_3B0C_4D1EL;
    for (int h = removed.nextSetBit(0); h >= 0; h = removed.nextSetBit(h + 1)) {
      key = mix(key ^ hostHash[h]);
    }
    boolean[] inGroup = new boolean[BUCKETS];
    for (int b : group) {
      inGroup[b] = true;
    }
    // what each host already owns in the view of all hosts but the removed ones
    int[] owned = new int[hosts.length];
    for (int b = 0; b < BUCKETS; b++) {
      if (!inGroup[b]) {
        for (int j = 0; j < depth; j++) {
          if (!removed.get(lists[b][j])) {
            owned[lists[b][j]]++;
            break;
          }
        }
      }
    }
    int[] eligible = eligible(removed);
    int[] quota = quotas(group.length, eligible, owned, key);
    match(group, eligible, quota, depth);
  }

  /**
   * Rendezvous matching within a split: (bucket, host) pairs by decreasing score, a host taking a
   * bucket while it has quota left.
   */
  private void match(int[] group, int[] eligible, int[] quota, int depth) {
    // the high 40 bits of the score, then the bucket's and the host's positions (ties cannot
    // reorder), sorted once
    long[] pairs = new long[group.length * eligible.length];
    int k = 0;
    for (int gi = 0; gi < group.length; gi++) {
      long bucketKey = mix(group[gi] * 0x9E37_79B9_7F4A_7C15L + 0x632B_E59B_D9B4_E019L);
      for (int ei = 0; ei < eligible.length; ei++) {
        long score = mix(hostHash[eligible[ei]] ^ bucketKey);
        pairs[k++] = ((score & 0xFFFF_FFFF_FF00_0000L) | ((long) gi << 12) | ei) ^ Long.MIN_VALUE;
      }
    }
    Arrays.sort(pairs); // unsigned order through the flipped sign bit
    int[] left = quota.clone();
    boolean[] placed = new boolean[group.length];
    int todo = group.length;
    for (int i = pairs.length - 1; i >= 0 && todo > 0; i--) {
      long p = pairs[i] ^ Long.MIN_VALUE;
      int gi = (int) ((p >>> 12) & 0xFFF);
      int ei = (int) (p & 0xFFF);
      if (!placed[gi] && left[ei] > 0) {
        placed[gi] = true;
        left[ei]--;
        todo--;
        lists[group[gi]][depth] = (short) eligible[ei];
      }
    }
  }

  /** The hosts not removed whose power is within the chain ratio of the strongest of them. */
  private int[] eligible(java.util.BitSet removed) {
    long max = 0;
    for (int i = 0; i < hosts.length; i++) {
      if (!removed.get(i)) {
        max = Math.max(max, power[i]);
      }
    }
    int n = 0;
    int[] e = new int[hosts.length];
    for (int i = 0; i < hosts.length; i++) {
      if (!removed.get(i) && power[i] * CHAIN_RATIO > max) {
        e[n++] = i;
      }
    }
    return Arrays.copyOf(e, n);
  }

  /**
   * The group's quota of each eligible host: its share of the view less what it owns there already.
   * The shares are a largest-remainder rounding of {@code 256 × power / total} that never goes
   * below what a host owns (buckets decided at earlier levels cannot be taken back): each share
   * starts at the larger of its floor and what the host owns, the rest goes one by one to the
   * largest remainders (equal ones ordered by a hash of the view and host), an excess is taken from
   * the shares furthest above their exact value.
   */
  private int[] quotas(int m, int[] eligible, int[] owned, long key) {
    long total = 0;
    for (int h : eligible) {
      total += power[h];
    }
    int k = eligible.length;
    long[] exact = new long[k]; // the exact share times total
    int[] q = new int[k];
    int sum = 0;
    for (int ei = 0; ei < k; ei++) {
      exact[ei] = (long) BUCKETS * power[eligible[ei]];
      q[ei] = (int) Math.max(owned[eligible[ei]], exact[ei] / total);
      sum += q[ei];
    }
    final long t = total;
    // furthest below the exact share first; equal ones by a hash of the view and host
    java.util.Comparator<Integer> below =
        (x, y) -> {
          int c = Long.compare(exact[y] - q[y] * t, exact[x] - q[x] * t);
          return c != 0
              ? c
              : Long.compareUnsigned(
                  mix(key ^ hostHash[eligible[y]]), mix(key ^ hostHash[eligible[x]]));
        };
    while (sum < BUCKETS) {
      q[best(k, below, ei -> true)]++;
      sum++;
    }
    while (sum > BUCKETS) {
      q[best(k, below.reversed(), ei -> q[ei] > owned[eligible[ei]])]--;
      sum--;
    }
    int[] d = new int[k];
    int given = 0;
    for (int ei = 0; ei < k; ei++) {
      d[ei] = q[ei] - owned[eligible[ei]];
      given += d[ei];
    }
    // hosts no longer eligible (chain rule) may own buckets of this view: give less
    while (given > m) {
      d[best(k, below.reversed(), ei -> d[ei] > 0)]--;
      given--;
    }
    return d;
  }

  /** The first of {@code 0..k-1} in {@code order} among those that {@code ok} accepts. */
  private static int best(
      int k, java.util.Comparator<Integer> order, java.util.function.IntPredicate ok) {
    int best = -1;
    for (int i = 0; i < k; i++) {
      if (ok.test(i) && (best < 0 || order.compare(i, best) < 0)) {
        best = i;
      }
    }
    return best;
  }

  /** FNV-1a of the UTF-8 name, then {@link #mix}: stable across JVMs and versions. */
  static long hash(String name) {
    long x = 0xCBF2_9CE4_8422_2325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      x ^= b & 0xFF;
      x *= 0x0000_0100_0000_01B3L;
    }
    return mix(x);
  }

  /** The SplitMix64 finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }
}
