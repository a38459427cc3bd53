package org.bulwark.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CliServerTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aStaleSocketLeftByAKilledNodeIsReplaced() throws IOException {
    Path socket = tmp.getRoot().toPath().resolve("run/safeadmin.sock");
    ServerSocketChannel first = CliServer.bind(socket);
    first.close(); // closed without deleting the file, as kill -9 leaves it
    assertTrue(Files.exists(socket));
    try (ServerSocketChannel second = CliServer.bind(socket)) {
      assertTrue(second.isOpen());
    }
  }

  @Test
  public void aLiveSocketIsNeverTakenOver() throws IOException {
    Path socket = tmp.getRoot().toPath().resolve("run/safeadmin.sock");
    try (ServerSocketChannel live = CliServer.bind(socket)) {
      CliServer.bind(socket).close();
      fail("a second node bound the same socket");
    } catch (IOException expected) {
      assertTrue(expected.getMessage(), expected.getMessage().contains("another node"));
    }
  }

  @Test
  public void framesRoundTrip() throws Exception {
    Path socket = tmp.getRoot().toPath().resolve("s.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
          SocketChannel accepted = server.accept()) {
        DataOutputStream clientOut = new DataOutputStream(Channels.newOutputStream(client));
        Frames.writeRequest(clientOut, List.of("printi", "héllo wörld"), List.of("SAFEMODULE=m"));
        Frames.Request request =
            Frames.readRequest(new DataInputStream(Channels.newInputStream(accepted)));
        assertEquals(List.of("printi", "héllo wörld"), request.args());
        assertEquals(List.of("SAFEMODULE=m"), request.environment());

        FrameOutput output =
            new FrameOutput(new DataOutputStream(Channels.newOutputStream(accepted)));
        output.out().println("line 1");
        output.err().print("warn");
        output.exit(4);
        Frames.Reply reply = Frames.readReply(new DataInputStream(Channels.newInputStream(client)));
        assertEquals("line 1\n", reply.out());
        assertEquals("warn", reply.err());
        assertEquals(4, reply.exitCode());
      }
    }
  }
}
