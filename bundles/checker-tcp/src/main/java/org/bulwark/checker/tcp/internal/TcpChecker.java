package org.bulwark.checker.tcp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerProvider;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.config.Check;
import org.osgi.service.component.annotations.Component;

/**
 * {@code <tcp>} (spec B.12): every {@code interval} a connection to {@code addr:port} within {@code
 * timeout}; resource {@code tcp.<ident>}, process {@code tcpcheck}. The connection is closed at
 * once: it only proves that something accepts on the port.
 */
@Component(service = CheckerProvider.class)
public final class TcpChecker implements CheckerProvider {
  static final String BY = "tcpcheck";

  @Override
  public String type() {
    return "tcp";
  }

  @Override
  public List<Watch> checks(CheckerContext context) {
    return context.config().check().tcp().stream().map(TcpChecker::watch).toList();
  }

  static Watch watch(Check.Tcp tcp) {
    return Watch.of(
        "tcp." + tcp.ident(),
        BY,
        Watch.phase(tcp.when()),
        tcp.interval(),
        tcp.timeout(),
        timeout -> connect(tcp.addr(), tcp.port(), timeout));
  }

  /** Up when a connection to {@code host:port} opens within {@code timeout}. */
  static ProbeResult connect(String host, int port, Duration timeout) {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      return ProbeResult.down(host + " does not resolve");
    }
    try (Socket socket = new Socket()) {
      socket.connect(address, (int) Math.max(1, timeout.toMillis()));
      return ProbeResult.up("connected to " + host + ":" + port);
    } catch (IOException e) {
      return ProbeResult.down(host + ":" + port + ": " + e.getMessage());
    }
  }
}
