package org.bulwark.rfs.internal;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The secondary's acknowledgements, sent in bursts rather than one system call and one wake-up of
 * the primary per change: those on receipt ({@code async="second"}) once the event loop has decoded
 * a read batch; those once applied ({@code async="none"}, barriers) by the appliers themselves into
 * the socket ({@link DirectWriter}: no wake-up of the event loop), when the one that applied has
 * nothing more queued or a few are waiting. Every acknowledgement is sent: whoever finishes the
 * last queued task sends what is left, so the appliers' tasks are counted here ({@link #counted}).
 */
final class SecondaryAcks {
  private static final int BATCH = 32;

  /** Acknowledgements on receipt of the current read batch (the event loop only). */
  private final List<Msg.Ack> receipts = new ArrayList<>();

  /** Acknowledgements the appliers made and did not send yet (guarded by itself). */
  private final List<Msg.Ack> applied = new ArrayList<>();

  /** Tasks given to the appliers and not finished. */
  private final AtomicInteger inApplier = new AtomicInteger();

  private volatile Channel channel;

  void connected(Channel c) {
    this.channel = c;
  }

  /** On the event loop: {@code seq} is acknowledged with the rest of its read batch. */
  void received(long seq) {
    receipts.add(new Msg.Ack(seq, 0));
  }

  /** On the event loop, once a read batch is decoded: its receipts in one system call. */
  void sendReceipts() {
    if (!receipts.isEmpty()) {
      DirectWriter.of(channel).send(List.copyOf(receipts));
      receipts.clear();
    }
  }

  /** On an applying thread: {@code seq} is applied. */
  void applied(long seq) {
    synchronized (applied) {
      applied.add(new Msg.Ack(seq, 0));
      if (applied.size() >= BATCH || inApplier.get() <= 1) {
        sendApplied();
      }
    }
  }

  private void sendApplied() {
    synchronized (applied) {
      Channel c = channel;
      if (!applied.isEmpty() && c != null) {
        DirectWriter.of(c).send(List.copyOf(applied));
      }
      applied.clear();
    }
  }

  /** {@code task}, counted from now until it has run or been discarded. */
  ApplyLanes.Task counted(ApplyLanes.Task task) {
    inApplier.incrementAndGet();
    return new Counted(task);
  }

  private final class Counted implements ApplyLanes.Task {
    private final ApplyLanes.Task task;

    Counted(ApplyLanes.Task task) {
      this.task = task;
    }

    @Override
    public void run(Applier applier) {
      try {
        task.run(applier);
      } finally {
        if (inApplier.decrementAndGet() == 0) {
          sendApplied();
        }
      }
    }

    @Override
    public void discard() {
      inApplier.decrementAndGet();
      task.discard();
    }
  }
}
