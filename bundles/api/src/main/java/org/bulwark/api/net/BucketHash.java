package org.bulwark.api.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.bulwark.api.farm.BucketSet;

/**
 * Which bucket a packet falls into (spec D.3), computed exactly as the kernel filter computes it,
 * so that tests and the simulation can tell which node gets a given client.
 *
 * <p>The filter asks nftables for {@code jhash <key> mod 256 seed SEED}: the kernel's {@code
 * jhash(key bytes, length, SEED)} (Bob Jenkins' lookup3, {@code include/linux/jhash.h}) over the
 * key's bytes in network order, scaled to 0..255 by {@code reciprocal_scale} — {@code (hash × 256)
 * >> 32}, i.e. the hash's top byte, not a remainder. The keys are: {@code on_addr} the client's
 * address (4 or 16 bytes), {@code on_port} the client's port (2 bytes), {@code on_ipid} the IPv4
 * identification field (2 bytes), an {@code arp} rule the requester's IPv4 address (4 bytes: the
 * same bucket as {@code on_addr}, so a client's ARP answer and its traffic go to the same node).
 *
 * <p>jhash reads 12-byte blocks in the CPU's byte order: this class gives the kernel's result on a
 * little-endian machine (x86-64, arm64), which are the platforms Bulwark runs on. Keys of 12 bytes
 * or less (all IPv4 keys) are read byte by byte and do not depend on it.
 */
public final class BucketHash {
  /**
   * The seed every node passes to the kernel. It must be the same on every node (a seed left out
   * would be drawn at random by the kernel, one per node, and the nodes would disagree).
   */
  public static final int SEED = 0x5afe;

  private static final int JHASH_INITVAL = 0xdeadbeef;

  private BucketHash() {}

  /** The bucket of a client address ({@code on_addr}, and {@code arp} rules). */
  public static int ofAddress(InetAddress client) {
    return bucket(jhash(client.getAddress(), SEED));
  }

  /** The bucket of a client port ({@code on_port}). */
  public static int ofPort(int port) {
    return bucket(jhash(new byte[] {(byte) (port >>> 8), (byte) port}, SEED));
  }

  /** The bucket of an IPv4 identification field ({@code on_ipid}). */
  public static int ofIpId(int id) {
    return ofPort(id);
  }

  /** The bucket of an IPv4 client address. */
  public static int ofAddress(Inet4Address client) {
    return ofAddress((InetAddress) client);
  }

  /** The kernel's {@code reciprocal_scale(hash, 256)}: the top byte of the hash. */
  public static int bucket(int hash) {
    return (int) (((hash & 0xffffffffL) * BucketSet.BUCKETS) >>> 32);
  }

  /** Linux {@code jhash(key, key.length, seed)} on a little-endian CPU. */
  public static int jhash(byte[] key, int seed) {
    int length = key.length;
    int a = JHASH_INITVAL + length + seed;
    int b = a;
    int c = a;
    int k = 0;
    while (length > 12) {
      a += le32(key, k);
      b += le32(key, k + 4);
      c += le32(key, k + 8);
      // __jhash_mix
      a -= c;
      a ^= Integer.rotateLeft(c, 4);
      c += b;
      b -= a;
      b ^= Integer.rotateLeft(a, 6);
      a += c;
      c -= b;
      c ^= Integer.rotateLeft(b, 8);
      b += a;
      a -= c;
      a ^= Integer.rotateLeft(c, 16);
      c += b;
      b -= a;
      b ^= Integer.rotateLeft(a, 19);
      a += c;
      c -= b;
      c ^= Integer.rotateLeft(b, 4);
      b += a;
      length -= 12;
      k += 12;
    }
    if (length == 0) {
      return c;
    }
    // the tail, as the kernel's fall-through switch adds it
    int[] word = new int[3];
    for (int i = 0; i < length; i++) {
      word[i / 4] += (key[k + i] & 0xff) << (8 * (i % 4));
    }
    a += word[0];
    b += word[1];
    c += word[2];
    // __jhash_final
    c ^= b;
    c -= Integer.rotateLeft(b, 14);
    a ^= c;
    a -= Integer.rotateLeft(c, 11);
    b ^= a;
    b -= Integer.rotateLeft(a, 25);
    c ^= b;
    c -= Integer.rotateLeft(b, 16);
    a ^= c;
    a -= Integer.rotateLeft(c, 4);
    b ^= a;
    b -= Integer.rotateLeft(a, 14);
    c ^= b;
    c -= Integer.rotateLeft(b, 24);
    return c;
  }

  private static int le32(byte[] b, int i) {
    return (b[i] & 0xff)
        | (b[i + 1] & 0xff) << 8
        | (b[i + 2] & 0xff) << 16
        | (b[i + 3] & 0xff) << 24;
  }
}
