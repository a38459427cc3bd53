package org.bulwark.module.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bulwark.automaton.HeartbeatMessage;
import org.bulwark.heartbeat.HeartbeatChannel;
import org.bulwark.heartbeat.HeartbeatService;

/**
 * Two heartbeat endpoints wired to each other in memory: what one side sends, the other receives on
 * lan "0". {@link #crash} makes a side fall silent the way a killed node does (no last STOP
 * message), {@link #revive} lets a new runtime of that side talk again. The real UDP transport has
 * its own tests; these test the module runtime around it.
 */
final class PairedHeartbeats {
  static final List<HeartbeatService.Link> LINKS =
      List.of(
          new HeartbeatService.Link(
              "0", new InetSocketAddress("127.0.0.1", 1), new InetSocketAddress("127.0.0.1", 2)));

  final Side a = new Side();
  final Side b = new Side();

  PairedHeartbeats() {
    a.peer = b;
    b.peer = a;
  }

  static final class Side implements HeartbeatService {
    private Side peer;
    private volatile Receiver receiver;
    private volatile boolean crashed;
    final AtomicLong sent = new AtomicLong();

    @Override
    public HeartbeatChannel open(String module, List<Link> links, Receiver receiver) {
      this.receiver = receiver;
      return new HeartbeatChannel() {
        @Override
        public void send(HeartbeatMessage message) {
          Receiver other = peer.receiver;
          if (!crashed && other != null) {
            sent.incrementAndGet();
            other.received("0", message);
          }
        }

        @Override
        public long malformed() {
          return 0;
        }

        @Override
        public long received() {
          return 0;
        }

        @Override
        public void close() {}
      };
    }

    /** From now on this side sends nothing, as a node killed with SIGKILL. */
    void crash() {
      crashed = true;
    }

    void revive() {
      crashed = false;
    }
  }
}
