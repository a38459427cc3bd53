package org.bulwark.api.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class BucketSetTest {
  @Test
  public void wordsAreWhatVipIfCtrlPrints() {
    // spec D.3: two nodes, one holds 00000000 x4 + ffffffff x4, the other the complement
    BucketSet upper = BucketSet.range(128, 255);
    assertEquals(
        "00000000 00000000 00000000 00000000 ffffffff ffffffff ffffffff ffffffff",
        upper.toString());
    assertEquals(
        "ffffffff ffffffff ffffffff ffffffff 00000000 00000000 00000000 00000000",
        upper.complement().toString());
    assertEquals(
        "00000001 00000000 00000000 00000000 00000000 00000000 00000000 80000000",
        BucketSet.of(0, 255).toString());
    assertEquals(BucketSet.of(0, 255), BucketSet.fromWords(BucketSet.of(0, 255).words()));
  }

  @Test
  public void setOperations() {
    BucketSet a = BucketSet.range(0, 9);
    BucketSet b = BucketSet.range(5, 14);
    assertEquals(BucketSet.range(0, 14), a.union(b));
    assertEquals(BucketSet.range(5, 9), a.intersect(b));
    assertEquals(BucketSet.range(0, 4), a.minus(b));
    assertEquals(256, BucketSet.all().size());
    assertTrue(BucketSet.all().isAll());
    assertTrue(BucketSet.none().isEmpty());
    assertEquals(BucketSet.none(), BucketSet.all().complement());
  }

  @Test
  public void rangesAreMaximalRuns() {
    List<int[]> r = BucketSet.of(0, 1, 2, 5, 7, 8, 255).ranges();
    assertEquals(4, r.size());
    assertArrayEquals(new int[] {0, 2}, r.get(0));
    assertArrayEquals(new int[] {5, 5}, r.get(1));
    assertArrayEquals(new int[] {7, 8}, r.get(2));
    assertArrayEquals(new int[] {255, 255}, r.get(3));
  }

  @Test(expected = IllegalArgumentException.class)
  public void bucketsAreZeroTo255() {
    BucketSet.of(256);
  }
}
