package org.bulwark.config.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.bulwark.api.config.ModuleContext;

/**
 * Cross-check of the JMH figures on a shared, loaded machine: CPU time of this thread per parse
 * (what a parse costs, whatever the scheduler does), after warm-up, against the same StAX
 * baseline as the benchmark.
 */
public final class ParseCpuTime {

  private ParseCpuTime() {}

  public static void main(String[] args) throws IOException, XMLStreamException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    XmlConfigService service = new XmlConfigService();
    XMLInputFactory stax = XMLInputFactory.newDefaultFactory();
    stax.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    ModuleContext context = ModuleContext.standalone("AM");
    byte[] typical = resource("seeds/apache-farm-linux.userconfig.xml")
        .replace("VIRTUAL_IP_TO_BE_DEFINED", "192.168.1.20")
        .replace("TCP_PORT_TO_BE_DEFINED", "80").getBytes(StandardCharsets.UTF_8);
    byte[] full = resource("good/full-mirror.userconfig.xml").getBytes(StandardCharsets.UTF_8);
    int n = 5000;
    for (int round = 0; round < 8; round++) {
      long t0 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        service.parseModule("u.xml", typical, context);
      }
      long t1 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        service.parseModule("u.xml", full, context);
      }
      long t2 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        XMLStreamReader reader = stax.createXMLStreamReader(new ByteArrayInputStream(typical));
        while (reader.hasNext()) {
          reader.next();
        }
        reader.close();
      }
      long t3 = threads.getCurrentThreadCpuTime();
      if (round >= 4) {
        System.out.printf("round %d: typical %.0f us, full %.0f us, baselineStaxOnly %.0f us "
            + "(CPU time per parse)%n", round, (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n,
            (t3 - t2) / 1e3 / n);
      }
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ParseCpuTime.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
