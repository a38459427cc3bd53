package org.bulwark.api.net;

import static org.junit.Assert.assertEquals;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

/**
 * The Java jhash against Bob Jenkins' own test vectors of lookup3 ({@code hashlittle}, which the
 * kernel's jhash is on a little-endian CPU). That the buckets are the kernel's, packet by packet,
 * is proven with real traffic in native/net's FarmFilterTest.
 */
public class BucketHashTest {
  private static final byte[] FOUR_SCORE =
      "Four score and seven years ago".getBytes(StandardCharsets.US_ASCII);

  @Test
  public void lookup3Vectors() {
    assertEquals(0xdeadbeef, BucketHash.jhash(new byte[0], 0));
    assertEquals(0xbd5b7dde, BucketHash.jhash(new byte[0], 0xdeadbeef));
    assertEquals(0x17770551, BucketHash.jhash(FOUR_SCORE, 0));
    assertEquals(0xcd628161, BucketHash.jhash(FOUR_SCORE, 1));
  }

  @Test
  public void bucketIsTheTopByteOfTheHash() {
    assertEquals(0, BucketHash.bucket(0x00ffffff));
    assertEquals(255, BucketHash.bucket(0xff000000));
    assertEquals(0x17, BucketHash.bucket(0x17770551));
  }

  @Test
  public void keysAreHashedInNetworkOrder() throws Exception {
    assertEquals(
        BucketHash.bucket(BucketHash.jhash(new byte[] {10, 0, 0, 1}, BucketHash.SEED)),
        BucketHash.ofAddress(InetAddress.getByName("10.0.0.1")));
    assertEquals(
        BucketHash.bucket(BucketHash.jhash(new byte[] {(byte) 0x1f, (byte) 0x90}, BucketHash.SEED)),
        BucketHash.ofPort(8080));
  }

  @Test
  public void portsSpreadOverTheBuckets() {
    int[] counts = new int[256];
    for (int p = 0; p < 65536; p++) {
      counts[BucketHash.ofPort(p)]++;
    }
    for (int b = 0; b < 256; b++) {
      // 256 ports per bucket on average
      assertEquals("bucket " + b, 256, counts[b], 80);
    }
  }
}
