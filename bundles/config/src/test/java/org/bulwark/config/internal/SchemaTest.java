package org.bulwark.config.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.Dynamic;
import org.bulwark.api.config.Failover;
import org.bulwark.api.config.Heart;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.Rfs;
import org.bulwark.config.internal.schema.AttributeDecl;
import org.bulwark.config.internal.schema.ChildDecl;
import org.bulwark.config.internal.schema.ElementType;
import org.bulwark.config.internal.schema.Schema;
import org.junit.Test;
import org.xml.sax.SAXException;

/**
 * The schemas are one source of truth: the copy the distribution ships is the one the parser reads,
 * the JDK's own XSD validator accepts every valid file of the corpus, the reference page is
 * generated from them, and the dynamic flags and defaults match spec B.0 and the API records.
 */
public class SchemaTest {

  private static final Path SHIPPED = Path.of("../../config/xsd");
  private static final Path DOC = Path.of("../../docs/configuration.md");

  @Test
  public void shippedCopiesAreTheBundledSchemas() throws IOException {
    for (String name : List.of("cluster.xsd", "userconfig.xsd")) {
      assertArrayEquals(
          name + ": copy src/main/resources/xsd to config/xsd",
          TestFiles.bytes("xsd/" + name),
          Files.readAllBytes(SHIPPED.resolve(name)));
    }
  }

  @Test
  public void theJdkValidatorAcceptsEveryValidFile() throws Exception {
    SchemaFactory factory = SchemaFactory.newDefaultInstance();
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    Validator cluster = factory.newSchema(SHIPPED.resolve("cluster.xsd").toFile()).newValidator();
    Validator module = factory.newSchema(SHIPPED.resolve("userconfig.xsd").toFile()).newValidator();
    for (Validator validator : List.of(cluster, module)) {
      validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    }
    for (String file :
        List.of(
            "good/cluster.xml",
            "seeds/cluster-aws.xml",
            "seeds/cluster-azure.xml",
            "seeds/cluster-gcp.xml")) {
      assertTrue(TestFiles.SERVICE.parseCluster(file, TestFiles.bytes(file)).isValid());
      // The cloud chapter's files are indented with no-break spaces, which the parser takes
      // as blanks (Blank) but XSD's element-only content does not.
      validate(cluster, file, TestFiles.text(file).replace('\u00a0', ' '));
    }
    for (String file :
        List.of(
            "good/mirror.userconfig.xml",
            "good/farm.userconfig.xml",
            "good/full-mirror.userconfig.xml",
            "seeds/mirror-windows.userconfig.xml",
            "seeds/mirror-linux.userconfig.xml")) {
      ModuleConfig config =
          TestFiles.SERVICE
              .parseModule(file, TestFiles.bytes(file), TestFiles.CONTEXT)
              .orElseThrow();
      String expanded = TestFiles.text(file);
      for (var macro : config.macros().entrySet()) {
        expanded = expanded.replace("%" + macro.getKey() + "%", macro.getValue());
      }
      validate(module, file, expanded);
    }
  }

  private static void validate(Validator validator, String name, String text) throws IOException {
    try {
      validator.validate(new StreamSource(new StringReader(text)));
    } catch (SAXException e) {
      throw new AssertionError(name + ": " + e.getMessage(), e);
    }
  }

  @Test
  public void referencePageIsGeneratedFromTheSchemas() throws IOException {
    String generated = ReferenceDoc.generate();
    if (Boolean.getBoolean("config.updateDocs")) {
      Files.writeString(DOC, generated, StandardCharsets.UTF_8);
    }
    assertEquals(
        "docs/configuration.md is stale: rerun with -Dconfig.updateDocs=true",
        generated,
        Files.readString(DOC, StandardCharsets.UTF_8));
  }

  /** Spec B.0: the XSD's dynamic flags and the API's {@link Dynamic} catalogue agree. */
  @Test
  public void dynamicFlagsAreThoseOfSpecB0() {
    Schema schema = Schema.load("xsd/userconfig.xsd");
    Set<String> dynamic = new TreeSet<>();
    Set<String> all = new TreeSet<>();
    collect(schema, "", schema.rootName(), schema.root(), false, dynamic, all);
    for (String path : all) {
      assertEquals(path, dynamic.contains(path), Dynamic.isDynamic(path));
    }
    assertTrue(dynamic.containsAll(Dynamic.ATTRIBUTES));
    assertEquals(Set.of("heart", "user", "errd", "check", "rfs/flow"), Dynamic.SUBTREES);
  }

  private static void collect(
      Schema schema,
      String prefix,
      String name,
      ElementType type,
      boolean dynamic,
      Set<String> out,
      Set<String> all) {
    String path = prefix.isEmpty() ? name : prefix + "/" + name;
    String shown =
        path.startsWith("safe/service/")
            ? path.substring(13)
            : path.equals("safe/service") ? "service" : path;
    for (AttributeDecl a : type.attributes().values()) {
      all.add(shown + "@" + a.name());
      if (dynamic || a.dynamic()) {
        out.add(shown + "@" + a.name());
      }
    }
    for (ChildDecl child : type.children()) {
      collect(schema, path, child.name(), schema.type(child), dynamic || child.dynamic(), out, all);
    }
  }

  /** The XSD defaults and the API records' constants say the same. */
  @Test
  public void schemaDefaultsMatchTheRecordConstants() {
    String minimal =
        "<safe><service mode=\"mirror\"><heart><heartbeat name=\"default\"/>"
            + "</heart><rfs><replicated dir=\"/d\"/></rfs><failover/></service></safe>";
    ModuleConfig config =
        TestFiles.SERVICE
            .parseModule("m.xml", minimal.getBytes(StandardCharsets.UTF_8), TestFiles.CONTEXT)
            .orElseThrow();
    Heart heart = config.heart().orElseThrow();
    assertEquals(Heart.DEFAULT_PULSE, heart.pulse());
    assertEquals(Heart.DEFAULT_TIMEOUT, heart.timeout());
    assertEquals(8888, heart.effectivePort(1));
    assertEquals(Rfs.DEFAULT_REIPACKETSIZE, config.rfs().orElseThrow().reipacketsize());
    Failover failover = config.failover().orElseThrow();
    assertEquals(Failover.DEFAULT_PERIOD, failover.period());
    assertEquals(Failover.DEFAULT_HANDLE_TIME, failover.handleTime());
    String cluster =
        "<cluster><lans><lan name=\"a\"><node name=\"x\" addr=\"1.1.1.1\"/>"
            + "<node name=\"y\" addr=\"1.1.1.2\"/></lan></lans></cluster>";
    ClusterConfig parsed =
        TestFiles.SERVICE
            .parseCluster("c.xml", cluster.getBytes(StandardCharsets.UTF_8))
            .orElseThrow();
    assertEquals(
        List.of(
            ClusterConfig.DEFAULT_PORT,
            ClusterConfig.DEFAULT_PULSE,
            ClusterConfig.DEFAULT_MLOST_COUNT,
            ClusterConfig.DEFAULT_SLOST_COUNT),
        new ArrayList<>(
            List.of(parsed.port(), parsed.pulse(), parsed.mlostCount(), parsed.slostCount())));
  }
}
