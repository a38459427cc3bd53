package org.bulwark.api.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * A set of the 256 buckets of a load-balancing group (spec D.3: "a 256-bit bitmap per group"),
 * immutable. Bucket {@code b} is bit {@code b % 32} of word {@code b / 32}, so that {@link
 * #toString()} prints what {@code safekit -r vip_if_ctrl -l} prints: 8 words of 32 bits, bucket 0
 * in the first word's low bit (one node of two holding buckets 128–255 shows {@code 00000000} four
 * times then {@code ffffffff} four times).
 */
public final class BucketSet {
  /** Buckets per group (spec D.3). */
  public static final int BUCKETS = 256;

  private static final BucketSet NONE = new BucketSet(new BitSet());
  private static final BucketSet ALL = range(0, BUCKETS - 1);

  private final BitSet bits;

  private BucketSet(BitSet bits) {
    this.bits = bits;
  }

  public static BucketSet none() {
    return NONE;
  }

  public static BucketSet all() {
    return ALL;
  }

  /** The given buckets, each in 0..255. */
  public static BucketSet of(int... buckets) {
    BitSet b = new BitSet(BUCKETS);
    for (int bucket : buckets) {
      b.set(check(bucket));
    }
    return new BucketSet(b);
  }

  /** Buckets {@code from} to {@code to}, both included. */
  public static BucketSet range(int from, int to) {
    check(from);
    check(to);
    BitSet b = new BitSet(BUCKETS);
    if (from <= to) {
      b.set(from, to + 1);
    }
    return new BucketSet(b);
  }

  /** The set of 8 words as {@link #words()} gives them. */
  public static BucketSet fromWords(int[] words) {
    if (words.length != BUCKETS / 32) {
      throw new IllegalArgumentException("a bucket set has 8 words, not " + words.length);
    }
    BitSet b = new BitSet(BUCKETS);
    for (int w = 0; w < words.length; w++) {
      for (int bit = 0; bit < 32; bit++) {
        if ((words[w] >>> bit & 1) != 0) {
          b.set(w * 32 + bit);
        }
      }
    }
    return new BucketSet(b);
  }

  private static int check(int bucket) {
    if (bucket < 0 || bucket >= BUCKETS) {
      throw new IllegalArgumentException("bucket " + bucket + " is outside 0..255");
    }
    return bucket;
  }

  public boolean contains(int bucket) {
    return bits.get(check(bucket));
  }

  public int size() {
    return bits.cardinality();
  }

  public boolean isEmpty() {
    return bits.isEmpty();
  }

  public boolean isAll() {
    return size() == BUCKETS;
  }

  public BucketSet union(BucketSet other) {
    BitSet b = (BitSet) bits.clone();
    b.or(other.bits);
    return new BucketSet(b);
  }

  public BucketSet intersect(BucketSet other) {
    BitSet b = (BitSet) bits.clone();
    b.and(other.bits);
    return new BucketSet(b);
  }

  public BucketSet minus(BucketSet other) {
    BitSet b = (BitSet) bits.clone();
    b.andNot(other.bits);
    return new BucketSet(b);
  }

  public BucketSet complement() {
    return ALL.minus(this);
  }

  /** The buckets in increasing order. */
  public IntStream stream() {
    return bits.stream();
  }

  /** Maximal runs of consecutive buckets, each {@code {first, last}}, in increasing order. */
  public List<int[]> ranges() {
    List<int[]> out = new ArrayList<>();
    int from = bits.nextSetBit(0);
    while (from >= 0) {
      int end = bits.nextClearBit(from);
      out.add(new int[] {from, end - 1});
      from = bits.nextSetBit(end);
    }
    return out;
  }

  /** The 8 words of 32 bits (bucket {@code b} = bit {@code b % 32} of word {@code b / 32}). */
  public int[] words() {
    int[] w = new int[BUCKETS / 32];
    bits.stream().forEach(b -> w[b / 32] |= 1 << (b % 32));
    return w;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketSet s && bits.equals(s.bits);
  }

  @Override
  public int hashCode() {
    return bits.hashCode();
  }

  /** The 8 words in hexadecimal, as {@code vip_if_ctrl -l} prints them. */
  @Override
  public String toString() {
    return String.join(
        " ",
        Arrays.stream(words())
            .mapToObj(w -> String.format(Locale.ROOT, "%08x", w))
            .toArray(String[]::new));
  }
}
