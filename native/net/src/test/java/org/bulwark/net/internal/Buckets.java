package org.bulwark.net.internal;

import java.util.stream.IntStream;
import org.bulwark.api.farm.BucketSet;

/** Bucket sets the tests write often. */
final class Buckets {
  private Buckets() {}

  /** Buckets {@code from} to {@code to}, both included. */
  static BucketSet range(int from, int to) {
    return BucketSet.of(IntStream.rangeClosed(from, to).toArray());
  }
}
