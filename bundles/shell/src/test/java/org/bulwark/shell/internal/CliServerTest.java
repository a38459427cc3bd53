package org.bulwark.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CliServerTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aStaleSocketLeftByAKilledNodeIsReplaced() throws IOException {
    Path socket = tmp.getRoot().toPath().resolve("run/safeadmin.sock");
    ServerSocketChannel first = LocalSocket.bind(socket);
    first.close(); // closed without deleting the file, as kill -9 leaves it
    assertTrue(Files.exists(socket));
    try (ServerSocketChannel second = LocalSocket.bind(socket)) {
      assertTrue(second.isOpen());
    }
  }

  @Test
  public void aLiveSocketIsNeverTakenOver() throws IOException {
    Path socket = tmp.getRoot().toPath().resolve("run/safeadmin.sock");
    try (ServerSocketChannel live = LocalSocket.bind(socket)) {
      LocalSocket.bind(socket).close();
      fail("a second node bound the same socket");
    } catch (IOException expected) {
      assertTrue(expected.getMessage(), expected.getMessage().contains("another node"));
    }
  }

  @Test
  public void theSocketIsBoundInAPrivateDirectoryThenMovedIntoPlace() throws IOException {
    Path run = tmp.getRoot().toPath().resolve("run");
    Path socket = run.resolve("safeadmin.sock");
    List<String> atBind = new ArrayList<>();
    try (ServerSocketChannel channel =
        LocalSocket.bind(
            socket,
            bound -> {
              atBind.add(bound.getParent().getParent().equals(run) ? "in run/" : "elsewhere");
              atBind.add(mode(bound.getParent()));
              atBind.add(Files.exists(socket) ? "final name taken" : "final name free");
            })) {
      // no one but the owner can reach the socket before it has its final mode
      assertEquals(List.of("in run/", "rwx------", "final name free"), atBind);
      assertEquals("rw-rw----", mode(socket));
      assertEquals("no directory left behind", List.of(socket), list(run));
      try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
          SocketChannel accepted = channel.accept()) {
        assertTrue("still listening under its new name", accepted.isConnected());
      }
    }
    // the server binds the same way: final mode once constructed, removed when deactivated
    CliServer server = new CliServer(socket, new MemoryCommandLog(), CliServer.Limits.DEFAULT);
    try {
      assertEquals("rw-rw----", mode(socket));
      assertEquals(List.of(socket), list(run));
    } finally {
      server.deactivate();
    }
    assertFalse(Files.exists(socket));
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

  private static String mode(Path path) {
    try {
      return PosixFilePermissions.toString(
          Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> list(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    }
  }
}
