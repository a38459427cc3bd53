package org.bulwark.config.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bulwark.api.config.ConfigResult;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * The corpus of bad inputs (issue 3): each file in {@code src/test/resources/bad} comes with the
 * exact messages expected beside it ({@code NN-name.expected}: file, line, column, path, text).
 * {@code -Dconfig.updateExpected=true} rewrites the expected files from the parser's output, to be
 * reviewed in the diff.
 */
@RunWith(Parameterized.class)
public class BadInputCorpusTest {

  static final Path SOURCE = Path.of("src/test/resources/bad");

  @Parameters(name = "{0}")
  public static List<Object[]> files() throws IOException {
    List<Object[]> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(SOURCE)) {
      list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".xml"))
          .sorted()
          .forEach(name -> files.add(new Object[] {name}));
    }
    return files;
  }

  private final String name;

  public BadInputCorpusTest(String name) {
    this.name = name;
  }

  @Test
  public void reportsExactlyTheExpectedErrors() throws IOException {
    byte[] content = Files.readAllBytes(SOURCE.resolve(name));
    ConfigResult<?> result =
        name.endsWith(".cluster.xml")
            ? TestFiles.SERVICE.parseCluster(name, content)
            : TestFiles.SERVICE.parseModule(name, content, TestFiles.CONTEXT);
    assertTrue(name + " must be invalid", !result.isValid());
    List<String> actual = SeedConfigurationTest.formatted(result.errors());
    Path expectedFile = SOURCE.resolve(name.substring(0, name.indexOf('.')) + ".expected");
    if (Boolean.getBoolean("config.updateExpected")) {
      Files.write(expectedFile, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readAllLines(expectedFile, StandardCharsets.UTF_8), actual);
  }

  @Test
  public void corpusIsLargeEnough() throws IOException {
    assertTrue(files().size() >= 50);
  }
}
