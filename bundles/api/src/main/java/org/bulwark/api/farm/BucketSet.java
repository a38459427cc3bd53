package org.bulwark.api.farm;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A set of the 256 buckets of one load-balancing group (spec D.3: "256 buckets (a 256-bit bitmap)
 * per group"). A packet whose key hashes to bucket {@code b} is accepted by the node whose set
 * contains {@code b}. Immutable.
 */
public final class BucketSet {

  /** Buckets per group (spec D.3). */
  public static final int BUCKETS = 256;

  public static final BucketSet EMPTY = new BucketSet(new long[4]);

  public static final BucketSet ALL = new BucketSet(new long[] {-1L, -1L, -1L, -1L});

  private final long[] bits;

  private BucketSet(long[] bits) {
    this.bits = bits;
  }

  /** The set of these buckets (each in 0..255). */
  public static BucketSet of(int... buckets) {
    long[] b = new long[4];
    for (int x : buckets) {
      check(x);
      b[x >>> 6] |= 1L << (x & 63);
    }
    return new BucketSet(b);
  }

  /**
   * The set whose {@link #words()} are these: 8 words of 32 bits, word {@code i} bit {@code j} is
   * bucket {@code 32 i + j}.
   */
  public static BucketSet fromWords(int[] words) {
    if (words.length != 8) {
      throw new IllegalArgumentException("a bucket set is 8 words of 32 bits, got " + words.length);
    }
    long[] b = new long[4];
    for (int i = 0; i < 4; i++) {
      b[i] = Integer.toUnsignedLong(words[2 * i]) | ((long) words[2 * i + 1] << 32);
    }
    return new BucketSet(b);
  }

  private static void check(int bucket) {
    if (bucket < 0 || bucket >= BUCKETS) {
      throw new IllegalArgumentException("bucket out of 0..255: " + bucket);
    }
  }

  public boolean contains(int bucket) {
    check(bucket);
    return (bits[bucket >>> 6] & (1L << (bucket & 63))) != 0;
  }

  /** How many buckets: the {@code N} of {@code farm load: N/256}. */
  public int size() {
    int n = 0;
    for (long w : bits) {
      n += Long.bitCount(w);
    }
    return n;
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** The buckets in increasing order. */
  public int[] toArray() {
    return IntStream.range(0, BUCKETS).filter(this::contains).toArray();
  }

  public BucketSet union(BucketSet o) {
    long[] b = new long[4];
    for (int i = 0; i < 4; i++) {
      b[i] = bits[i] | o.bits[i];
    }
    return new BucketSet(b);
  }

  public BucketSet intersect(BucketSet o) {
    long[] b = new long[4];
    for (int i = 0; i < 4; i++) {
      b[i] = bits[i] & o.bits[i];
    }
    return new BucketSet(b);
  }

  public BucketSet minus(BucketSet o) {
    long[] b = new long[4];
    for (int i = 0; i < 4; i++) {
      b[i] = bits[i] & ~o.bits[i];
    }
    return new BucketSet(b);
  }

  /**
   * The bitmap as {@code safekit -r vip_if_ctrl -l} prints it (spec D.3): 8 words of 32 bits, word
   * {@code i} bit {@code j} is bucket {@code 32 i + j}.
   */
  public int[] words() {
    int[] w = new int[8];
    for (int i = 0; i < 4; i++) {
      w[2 * i] = (int) bits[i];
      w[2 * i + 1] = (int) (bits[i] >>> 32);
    }
    return w;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketSet s && Arrays.equals(bits, s.bits);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bits);
  }

  /** The 8 words in hexadecimal, e.g. {@code ffffffff ffffffff 00000000 …}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int w : words()) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(String.format("%08x", w));
    }
    return b.toString();
  }
}
