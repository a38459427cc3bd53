package org.bulwark.config.internal.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.env.SafeDirectories;

/** A node in a temporary directory, and a CLI output captured in strings. */
final class VerbFixture implements AutoCloseable {

  final Path root;
  final NodeEnvironment node;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  VerbFixture() throws IOException {
    root = Files.createTempDirectory("bulwark-verbs");
    SafeDirectories dirs = new SafeDirectories(root.resolve("safe"), root.resolve("var"));
    node = new FakeNode(dirs);
  }

  /** A NodeEnvironment made of plain values. */
  record FakeNode(SafeDirectories directories) implements NodeEnvironment {
    @Override
    public String version() {
      return "0.1.0";
    }

    @Override
    public String hostName() {
      return "node1";
    }

    @Override
    public String bindAddress() {
      return "127.0.0.1";
    }
  }

  CliOutput output() {
    out = new StringWriter();
    err = new StringWriter();
    return CliOutput.of(new PrintWriter(out, true), new PrintWriter(err, true));
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  CliRequest request(String verb, String module, String... args) {
    return new CliRequest(verb, List.of(args), module, "root", Map.of("PWD", root.toString()));
  }

  @Override
  public void close() throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
