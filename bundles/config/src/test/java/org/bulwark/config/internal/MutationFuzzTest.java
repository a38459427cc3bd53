package org.bulwark.config.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigurationError;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Random mutations of the valid corpus (issue 3): every case ends in a model or in a list of
 * configuration errors, nothing else; no exception, no error without a position, and the content of
 * a local file that hostile entities point to never appears anywhere.
 *
 * <p>Seeded: the seed is printed; {@code -Dconfig.seed=S} replays a run, {@code
 * -Dconfig.fuzz.case=N} only its case N, {@code -Dconfig.fuzz.cases=N} changes the count.
 */
public class MutationFuzzTest {

  private static final List<String> MODULES =
      List.of(
          "good/mirror.userconfig.xml",
          "good/farm.userconfig.xml",
          "good/full-mirror.userconfig.xml",
          "seeds/mirror-windows.userconfig.xml",
          "seeds/mirror-linux.userconfig.xml",
          "seeds/apache-farm-linux.userconfig.xml",
          "good/farm-macros-before-safe.userconfig.xml");
  private static final List<String> CLUSTERS =
      List.of("good/cluster.xml", "seeds/cluster-aws.xml", "seeds/cluster-gcp.xml");

  private static Path dir;
  private static String marker;
  private static Mutator mutator;

  @BeforeClass
  public static void secretFile() throws IOException {
    dir = Files.createTempDirectory("bulwark-fuzz");
    marker = "BULWARK-SECRET-" + Long.toHexString(new Random().nextLong());
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, marker);
    mutator = new Mutator(marker, secret.toUri().toString());
  }

  @AfterClass
  public static void cleanUp() throws IOException {
    Files.deleteIfExists(dir.resolve("secret.txt"));
    Files.deleteIfExists(dir);
  }

  @Test
  public void everyMutationEndsInAModelOrErrors() {
    long seed = Long.getLong("config.seed", new Random().nextLong());
    int cases = Integer.getInteger("config.fuzz.cases", 10_000);
    Integer only = Integer.getInteger("config.fuzz.case");
    System.out.println(
        "MutationFuzzTest seed="
            + seed
            + " cases="
            + cases
            + " (replay: -Dconfig.seed="
            + seed
            + ")");
    int valid = 0;
    int invalid = 0;
    for (int i = 0; i < cases; i++) {
      if (only != null && only != i) {
        continue;
      }
      Random random = new Random(seed * 31 + i);
      boolean cluster = random.nextInt(4) == 0;
      List<String> bases = cluster ? CLUSTERS : MODULES;
      String base = TestFiles.text(bases.get(random.nextInt(bases.size())));
      byte[] content = mutator.mutate(base, random);
      ConfigResult<?> result;
      try {
        result = parse(cluster, content);
        check(result);
        if (i % 10 == 0) {
          assertEquals("same input, same answer", result, parse(cluster, content));
        }
      } catch (Throwable e) {
        throw new AssertionError(
            "case "
                + i
                + " of seed "
                + seed
                + " (replay: -Dconfig.seed="
                + seed
                + " -Dconfig.fuzz.case="
                + i
                + ")\n--- input ---\n"
                + new String(content, StandardCharsets.UTF_8)
                + "\n---",
            e);
      }
      if (result.isValid()) {
        valid++;
      } else {
        invalid++;
      }
    }
    System.out.println("MutationFuzzTest: " + valid + " valid, " + invalid + " invalid");
    if (only == null) {
      assertTrue("some mutations keep the file valid", valid > 0);
      assertTrue("most mutations break it", invalid > valid);
    }
  }

  private static ConfigResult<?> parse(boolean cluster, byte[] content) {
    return cluster
        ? TestFiles.SERVICE.parseCluster("fuzz.xml", content)
        : TestFiles.SERVICE.parseModule("fuzz.xml", content, TestFiles.CONTEXT);
  }

  private static void check(ConfigResult<?> result) {
    if (result instanceof ConfigResult.Valid<?> valid) {
      assertNotNull(valid.model());
      assertFalse("secret leaked into the model", valid.model().toString().contains(marker));
      return;
    }
    List<ConfigurationError> errors = result.errors();
    assertFalse(errors.isEmpty());
    for (ConfigurationError error : errors) {
      assertEquals("fuzz.xml", error.file());
      assertTrue(error.format(), error.line() >= 1 && error.column() >= 1);
      assertFalse(error.format(), error.message().isBlank());
      if (error.message().startsWith("internal error")) {
        fail("a bug, not a configuration error: " + error.format());
      }
      assertFalse("secret leaked into a message", error.format().contains(marker));
    }
  }
}
