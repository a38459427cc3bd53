package org.bulwark.config.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + validate of a userconfig.xml (docs/benchmarks.md): decode, secure StAX read, macros,
 * XSD structure, typed model and semantic checks. {@code typical} is the farm module of the
 * Apache guide with its macros set; {@code full} uses every element of spec B.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m"})
public class UserconfigParseBenchmark {

  private XmlConfigService service;
  private byte[] typical;
  private byte[] full;
  private ModuleContext context;
  private javax.xml.stream.XMLInputFactory stax;

  @Setup
  public void setUp() throws IOException {
    service = new XmlConfigService();
    typical = resource("seeds/apache-farm-linux.userconfig.xml")
        .replace("VIRTUAL_IP_TO_BE_DEFINED", "192.168.1.20")
        .replace("TCP_PORT_TO_BE_DEFINED", "80")
        .getBytes(StandardCharsets.UTF_8);
    full = resource("good/full-mirror.userconfig.xml").getBytes(StandardCharsets.UTF_8);
    context = new ModuleContext("AM", 1, Map.of(), Optional.empty());
    stax = javax.xml.stream.XMLInputFactory.newDefaultFactory();
    stax.setProperty(javax.xml.stream.XMLInputFactory.SUPPORT_DTD, false);
    if (!service.parseModule("u.xml", typical, context).isValid()
        || !service.parseModule("u.xml", full, context).isValid()) {
      throw new IllegalStateException("benchmark inputs must be valid");
    }
  }

  @Benchmark
  public ConfigResult<ModuleConfig> typical() {
    return service.parseModule("userconfig.xml", typical, context);
  }

  @Benchmark
  public ConfigResult<ModuleConfig> full() {
    return service.parseModule("userconfig.xml", full, context);
  }

  /** Baseline in the same run: the JDK's StAX parser reading every event, nothing else. */
  @Benchmark
  public int baselineStaxOnly() throws javax.xml.stream.XMLStreamException {
    javax.xml.stream.XMLStreamReader reader = stax.createXMLStreamReader(
        new java.io.ByteArrayInputStream(typical));
    int events = 0;
    while (reader.hasNext()) {
      events += reader.next();
    }
    reader.close();
    return events;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = UserconfigParseBenchmark.class.getClassLoader()
        .getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
