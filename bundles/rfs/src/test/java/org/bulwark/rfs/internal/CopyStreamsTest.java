package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * The primary's reintegration streams take a pass's steps from both ends (the largest files first
 * on half of them, the smallest first on the others), each step once.
 */
public class CopyStreamsTest {

  @Test
  public void twoStreamsStartFromBothEndsAndRunEveryStepOnce() throws Exception {
    List<Integer> steps = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      steps.add(i);
    }
    Set<Integer> first = ConcurrentHashMap.newKeySet();
    Set<Integer> ran = ConcurrentHashMap.newKeySet();
    List<Integer> twice = new java.util.concurrent.CopyOnWriteArrayList<>();
    ThreadLocal<Boolean> started = ThreadLocal.withInitial(() -> false);
    CyclicBarrier both =
        new CyclicBarrier(2); // each stream holds its first step until both have one
    try (CopyStreams streams = new CopyStreams(2, "test")) {
      streams.run(
          steps,
          step -> {
            if (!started.get()) {
              started.set(true);
              first.add(step);
              try {
                both.await(30, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new java.io.IOException(e);
              }
            }
            if (!ran.add(step)) {
              twice.add(step);
            }
          });
    }
    assertEquals("the first steps taken", Set.of(0, 39), first);
    assertEquals("every step", new TreeSet<>(steps), new TreeSet<>(ran));
    assertEquals("no step twice", List.of(), twice);
  }
}
