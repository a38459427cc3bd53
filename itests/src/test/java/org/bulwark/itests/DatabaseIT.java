package org.bulwark.itests;

import static org.bulwark.itests.MirrorPair.MODULE;
import static org.bulwark.itests.NodeProcess.ok;
import static org.bulwark.itests.Replicas.millisSince;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/**
 * A real database on the mirror (spec B.7, C.4, C.5): PostgreSQL's data directory is the module's
 * replicated directory, the server runs on the primary under a write load of committed
 * transactions, and {@code kill -9} of the primary node — its JVM, then the server and its clients,
 * every process in its namespace ({@link NodeNamespace#crash}) — loses none of them: the survivor
 * goes ALONE, PostgreSQL started on its copy recovers from the WAL, and every transaction whose
 * COMMIT returned is there, whole ({@link #assertSurvived}). Then the crashed node comes back as
 * SECOND while the survivor's server takes orders, is reintegrated under that load, and the second
 * failover, the other way, keeps every committed transaction of both runs too.
 *
 * <p>The durability asked of the mirror is the database's own: {@code fsync}, {@code
 * synchronous_commit} and {@code full_page_writes} stay on, and each WAL flush returns once the
 * secondary has it on disk (docs/replication.md, {@code async}).
 */
public class DatabaseIT {
  private static final String HEART = "pulse=\"100\" timeout=\"2000\"";

  /** timeout 2 s + pulse + the role scripts, with a wide margin for a loaded 2-core machine. */
  private static final int FAILOVER_SECONDS = 20;

  private static final Duration STEP = Replicas.STEP;
  private static final int STEP_SECONDS = (int) STEP.toSeconds();

  /** Orders committed, and checkpoints done, on a primary before it is killed. */
  private static final int ORDERS = 1500;

  private static final int CHECKPOINTS = 3;

  @Test
  public void everyCommittedTransactionSurvivesKillOfThePrimary() throws Exception {
    ReplicatedPath lab = ReplicatedPath.create();
    // the postgres user reaches the shared path through the lab's directory (0700 when made)
    Files.setPosixFilePermissions(lab.root, PosixFilePermissions.fromString("rwx--x--x"));
    String rfs = Replicas.rfs(lab.shared, "second", "");
    try (lab;
        MirrorPair pair =
            new MirrorPair("127.0.0.61", 19061, "127.0.0.62", 19062, HEART, lab, rfs)) {
      try {
        scenario(pair, new Postgres(lab.shared.resolve("pgdata"), 25461));
      } catch (Exception | AssertionError e) {
        System.out.println(Replicas.diagnostics(pair));
        for (NodeNamespace ns : List.of(pair.ns1, pair.ns2)) {
          System.out.println("--- PostgreSQL log of " + ns.node.address);
          System.out.println(Postgres.logOf(ns));
        }
        throw e;
      }
    }
  }

  private static void scenario(MirrorPair pair, Postgres pg) throws Exception {
    NodeProcess n1 = pair.n1;
    NodeProcess n2 = pair.n2;

    // 1. the pair, then a new cluster created through the primary's mount: replicated as made
    ok(n1.safekit("prim", "-m", MODULE));
    pair.await(n1, "ALONE", STEP_SECONDS);
    ok(n2.safekit("second", "-m", MODULE));
    pair.await(n2, "SECOND", STEP_SECONDS);
    pair.await(n1, "PRIM", STEP_SECONDS);
    long t = System.nanoTime();
    pg.initdb(pair.ns1);
    long initdb = millisSince(t);
    pg.start(pair.ns1);
    pg.assertDurable(pair.ns1);
    pg.sql(pair.ns1, OrderLoad.SCHEMA);

    // 2. kill -9 of node 1 while orders come in: node 2 takes over with every committed one
    List<Long> committed = new ArrayList<>();
    Run first = killUnderLoad(pair, pg, pair.ns1, pair.ns2, committed, () -> {});

    // 3. node 1 restarts and joins as SECOND while node 2's server takes orders (reintegrated
    // under load); then kill -9 of node 2 while orders come in: node 1 takes over with every
    // committed one of both runs
    AtomicLong rejoin = new AtomicLong();
    Run second =
        killUnderLoad(
            pair,
            pg,
            pair.ns2,
            pair.ns1,
            committed,
            () -> {
              long r = System.nanoTime();
              ok(n1.start());
              ok(n1.safekit("start", "-m", MODULE));
              pair.await(n1, "SECOND", STEP_SECONDS);
              pair.await(n2, "PRIM", STEP_SECONDS);
              rejoin.set(millisSince(r));
            });
    pg.stop(pair.ns1);

    System.out.printf(
        "DatabaseIT: initdb through the mount %d ms; run 1 on node 1: %s; node 1 from start to"
            + " SECOND Ready while node 2 took orders %d ms; run 2 on node 2: %s; %d committed"
            + " orders checked in all%n",
        initdb, first, rejoin.get(), second, committed.size());
  }

  /** What one run of orders, crash and takeover took and kept. */
  private record Run(
      int committed, int last, long loadMillis, long failover, long recovery, long held) {
    @Override
    public String toString() {
      return String.format(
          "%d orders committed by %d clients with back-to-back checkpoints (the last %d, both nodes"
              + " Ready, at %d/s), kill -9 to ALONE %d ms, WAL recovery on the survivor"
              + " %d ms, %d orders held, every committed one among them",
          committed,
          OrderLoad.CLIENTS,
          last,
          last * 1000L / Math.max(1, loadMillis),
          failover,
          recovery,
          held);
    }
  }

  /**
   * Orders committed on {@code primary}'s server; {@code meanwhile} runs once they flow; then, at
   * least {@link #ORDERS} orders and {@link #CHECKPOINTS} checkpoints later, kill -9 of the primary
   * node with the orders still coming in. The {@code survivor} goes ALONE, PostgreSQL recovers on
   * its copy, and it holds every order of {@code committed} and of this run, which are added to it.
   */
  private static Run killUnderLoad(
      MirrorPair pair,
      Postgres pg,
      NodeNamespace primary,
      NodeNamespace survivor,
      List<Long> committed,
      Concurrently.Step meanwhile)
      throws Exception {
    int last;
    long loadMillis;
    long killed;
    List<Long> acknowledged;
    try (OrderLoad load = new OrderLoad(pg, primary)) {
      load.awaitMore(100, 1, STEP);
      meanwhile.run();
      int before = load.acknowledged().size();
      long t = System.nanoTime();
      load.awaitMore(ORDERS, CHECKPOINTS, STEP);
      loadMillis = millisSince(t);
      killed = System.nanoTime();
      primary.crash();
      load.awaitEnd(STEP);
      acknowledged = load.acknowledged();
      last = acknowledged.size() - before;
    }
    committed.addAll(acknowledged);

    pair.await(survivor.node, "ALONE", FAILOVER_SECONDS);
    long failover = millisSince(killed);
    long logBefore = Postgres.logSize(survivor);
    long t = System.nanoTime();
    pg.start(survivor);
    long recovery = millisSince(t);
    assertRecovered(survivor, logBefore);
    long held = assertSurvived(pg, survivor, committed, survivor.node.address + " after kill -9");
    return new Run(acknowledged.size(), last, loadMillis, failover, recovery, held);
  }

  /** The server's log since {@code from} shows a crash recovery that ended. */
  private static void assertRecovered(NodeNamespace ns, long from) throws Exception {
    byte[] all = Files.readAllBytes(Postgres.log(ns));
    String log = new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8);
    assertTrue(
        "no crash recovery on " + ns.node.address + ":\n" + log,
        log.contains("database system was not properly shut down; automatic recovery in progress")
            && log.contains("redo done")
            && log.contains("database system is ready to accept connections"));
  }

  /**
   * The survivor's database holds every order whose COMMIT returned, each order counted in its
   * client's total (no transaction half there), every payload as written, heap and index sound
   * ({@code amcheck}). Returns how many orders it holds.
   */
  private static long assertSurvived(
      Postgres pg, NodeNamespace ns, List<Long> committed, String where) throws Exception {
    Set<Long> held = new TreeSet<>();
    pg.sql(ns, "select id from orders").lines().forEach(l -> held.add(Long.parseLong(l)));
    List<Long> lost = committed.stream().filter(id -> !held.contains(id)).sorted().toList();
    assertTrue(
        where
            + ": "
            + lost.size()
            + " of "
            + committed.size()
            + " committed orders lost, among them "
            + lost.subList(0, Math.min(20, lost.size())),
        lost.isEmpty());
    assertEquals(
        where + ": totals that do not count their orders",
        "",
        pg.sql(
            ns,
            "select t.client, t.orders, count(o.id) from totals t left join orders o using (client)"
                + " group by t.client, t.orders having t.orders <> count(o.id)"));
    assertEquals(
        where + ": orders, torn payloads, heap corruption",
        held.size() + "|0|0\n",
        pg.sql(
            ns,
            "select count(*), count(*) filter (where payload is distinct from"
                + " repeat(md5(id::text), 16)), (select count(*) from verify_heapam('orders'))"
                + " from orders"));
    pg.sql(ns, "select bt_index_check('orders_pkey', true), bt_index_check('totals_pkey', true)");
    return held.size();
  }
}
