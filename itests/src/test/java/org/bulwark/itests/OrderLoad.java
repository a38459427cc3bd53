package org.bulwark.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write load of {@link DatabaseIT}: {@link #CLIENTS} sessions beside a node, each committing
 * orders one transaction after the other, and one more session checkpointing back to back (data
 * files written and flushed, WAL segments recycled by rename, while the orders come in). Each
 * transaction is one statement in autocommit — an order inserted, its client's total counted —
 * whose id psql prints once the statement has completed: the server sends its completion after the
 * COMMIT, and with {@code synchronous_commit=on} only once the commit is flushed. An id is kept
 * only when printed: acknowledged, it must survive any crash.
 *
 * <p>Each session stops at its first error or when its psql dies (with its node); {@link #close()}
 * ends them all. Bounded: at most {@link #MAX_PER_SESSION} statements a session.
 */
final class OrderLoad implements AutoCloseable {
  static final int CLIENTS = 4;

  /** The tables: orders whose payload is a function of the id, and the count of each client. */
  static final String SCHEMA =
      "create extension amcheck;"
          + " create table orders (id bigserial primary key, client int not null,"
          + " payload text generated always as (repeat(md5(id::text), 16)) stored);"
          + " create table totals (client int primary key, orders bigint not null);"
          + " insert into totals select k, 0 from generate_series(1, "
          + CLIENTS
          + ") k;";

  private static final long MAX_PER_SESSION = 1_000_000;
  private static final String CHECKPOINTED = "checkpointed";

  private final List<Session> sessions = new ArrayList<>();
  private final List<Long> acknowledged = new CopyOnWriteArrayList<>();
  private final AtomicLong checkpoints = new AtomicLong();
  private final List<String> other = new CopyOnWriteArrayList<>();
  private volatile boolean stopping;

  /** Starts the clients and the checkpointer on {@code ns}'s server. */
  OrderLoad(Postgres pg, NodeNamespace ns) throws IOException {
    try {
      for (int k = 1; k <= CLIENTS; k++) {
        sessions.add(new Session(pg.session(ns), order(k)));
      }
      sessions.add(new Session(pg.session(ns), "checkpoint; select '" + CHECKPOINTED + "';\n"));
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private static String order(int client) {
    return "with o as (insert into orders (client) values ("
        + client
        + ") returning id) update totals set orders = orders + 1 from o where totals.client = "
        + client
        + " returning o.id;\n";
  }

  /** The ids whose COMMIT returned so far, in no particular order. */
  List<Long> acknowledged() {
    return List.copyOf(acknowledged);
  }

  long checkpoints() {
    return checkpoints.get();
  }

  /**
   * Waits until {@code orders} more are acknowledged and {@code checkpoints} more checkpoints done
   * than now; fails when a session ends first or at the deadline.
   */
  void awaitMore(int orders, int checkpoints, Duration deadline) throws InterruptedException {
    int o = acknowledged.size() + orders;
    long c = this.checkpoints.get() + checkpoints;
    NodeNamespace.await(
        () ->
            (acknowledged.size() >= o && this.checkpoints.get() >= c)
                || sessions.stream().anyMatch(s -> !s.thread.isAlive()),
        deadline,
        () -> "load too slow: " + this);
    if (acknowledged.size() < o || this.checkpoints.get() < c) {
      throw new AssertionError("a session ended: " + this);
    }
  }

  /** Waits for every session's end (after a crash of their node, or {@link #close()}). */
  void awaitEnd(Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    for (Session s : sessions) {
      s.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      if (s.thread.isAlive()) {
        throw new AssertionError("a session did not end within " + deadline + ": " + this);
      }
    }
  }

  @Override
  public String toString() {
    return acknowledged.size()
        + " orders acknowledged, "
        + checkpoints.get()
        + " checkpoints, sessions said "
        + other;
  }

  /** Ends every session: psql killed, its connection closed by the server. */
  @Override
  public void close() {
    stopping = true;
    sessions.forEach(s -> s.psql.destroyForcibly());
  }

  /** One psql: a statement written, its answer read, and again. */
  private final class Session {
    final Process psql;
    final String statement;
    final Thread thread;

    Session(Process psql, String statement) {
      this.psql = psql;
      this.statement = statement;
      this.thread = new Thread(this::loop, "psql " + psql.pid());
      thread.setDaemon(true);
      thread.start();
    }

    private void loop() {
      try (Writer in = new OutputStreamWriter(psql.getOutputStream(), StandardCharsets.UTF_8);
          BufferedReader out =
              new BufferedReader(
                  new InputStreamReader(psql.getInputStream(), StandardCharsets.UTF_8))) {
        for (long i = 0; i < MAX_PER_SESSION && !stopping; i++) {
          in.write(statement);
          in.flush();
          String line = out.readLine();
          if (line == null) {
            return; // psql died: its node crashed
          } else if (line.matches("\\d+")) {
            acknowledged.add(Long.parseLong(line));
          } else if (line.equals(CHECKPOINTED)) {
            checkpoints.incrementAndGet();
          } else {
            other.add(line);
            return;
          }
        }
      } catch (IOException e) {
        if (!stopping && psql.isAlive()) {
          other.add("(session " + psql.pid() + ": " + e + ")");
        }
      }
    }
  }
}
