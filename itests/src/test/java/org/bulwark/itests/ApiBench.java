package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * The REST API's benchmarks (issue 12): requests/s and p99 of a module state read ({@code GET
 * /api/v1.0/modules/AM} with a Monitor API key) by 50 concurrent clients, against the anonymous
 * health-check URL ({@code /var/modules/AM/ready.txt}) of the same node in the same run; and the
 * time from a module state change (the time of its {@code Local state} row in the module log) to
 * its {@code /events} event at a connected client, against a client polling {@code GET /modules/AM}
 * back to back. Not part of the test suite:
 *
 * <pre>
 * mvn -B -o verify -pl itests -am -Dit.test=ApiBench -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false \
 *     [-Dbench.rounds=5] [-Dbench.seconds=5] [-Dbench.clients=50] \
 *     [-Dbench.address=127.0.0.190] [-Dbench.port=19190]
 * </pre>
 *
 * <p>Each round runs both loads one after the other (their order alternating); it prints one line
 * per round and the medians.
 */
public class ApiBench {
  // the loopback address and port of the node: -Dbench.address, -Dbench.port
  private static final String ADDRESS = System.getProperty("bench.address", "127.0.0.190");
  private static final int PORT = Integer.getInteger("bench.port", 19190);
  private static final String MODULE = "bench";
  private static final String BASE = "http://" + ADDRESS + ":" + PORT;

  /** One load run: requests/s and latency percentiles. */
  record Load(double perSecond, double p50Ms, double p99Ms, long errors) {}

  static Load load(HttpClient http, HttpRequest request, int clients, Duration length)
      throws InterruptedException {
    List<List<Long>> latencies = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] window = new long[2];
    for (int c = 0; c < clients; c++) {
      List<Long> mine = new ArrayList<>();
      latencies.add(mine);
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                  long end = window[1];
                  while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r =
                        http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    long t1 = System.nanoTime();
                    if (r.statusCode() != 200) {
                      errors.incrementAndGet();
                    } else {
                      mine.add(t1 - t0);
                    }
                  }
                } catch (Exception e) {
                  errors.incrementAndGet();
                }
              });
      threads.add(t);
      t.start();
    }
    window[0] = System.nanoTime();
    window[1] = window[0] + length.toNanos();
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - window[0]) / 1e9;
    List<Long> all = new ArrayList<>();
    latencies.forEach(all::addAll);
    Collections.sort(all);
    return new Load(
        all.size() / seconds,
        all.get(all.size() / 2) / 1e6,
        all.get((int) Math.min(all.size() - 1, Math.ceil(all.size() * 0.99) - 1)) / 1e6,
        errors.get());
  }

  @Test
  public void stateReadsAndPushLatency() throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 5);
    Duration length = Duration.ofSeconds(Integer.getInteger("bench.seconds", 5));
    int clients = Integer.getInteger("bench.clients", 50);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try (NodeProcess node = NodeProcess.copy(ADDRESS, PORT)) {
      ok(node.start());
      ok(node.safekit("webservercfg", "-passwd", "bench-admin-password"));
      Path work = node.home.getParent();
      Path safe = SafePackage.tracing(MODULE, work.resolve("trace"), "").writeTo(work);
      ok(node.safekit("module", "install", "-m", MODULE, safe.toString()));
      ok(node.safekit("config", "-m", MODULE));
      String admin =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString("admin:bench-admin-password".getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> key =
          http.send(
              HttpRequest.newBuilder(URI.create(BASE + "/api/v1.0/apikey/Monitor/bench"))
                  .header("Authorization", admin)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(key.body());
      assertTrue(key.body(), token.find());
      String bearer = "Bearer " + token.group(1);
      ok(node.safekit("start", "-m", MODULE));
      ok(node.safekit("waitstate", "-t", "60", "-m", MODULE, "UP"));

      HttpRequest state =
          HttpRequest.newBuilder(URI.create(BASE + "/api/v1.0/modules/" + MODULE))
              .header("Authorization", bearer)
              .build();
      HttpRequest health =
          HttpRequest.newBuilder(URI.create(BASE + "/var/modules/" + MODULE + "/ready.txt"))
              .build();
      // warm-up: JIT and connection pools
      load(http, state, clients, Duration.ofSeconds(3));
      load(http, health, clients, Duration.ofSeconds(3));
      List<Load> api = new ArrayList<>();
      List<Load> base = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        Load a;
        Load b;
        if (i % 2 == 0) {
          a = load(http, state, clients, length);
          b = load(http, health, clients, length);
        } else {
          b = load(http, health, clients, length);
          a = load(http, state, clients, length);
        }
        api.add(a);
        base.add(b);
        System.out.printf(Locale.ROOT, "BENCH round %d api %s health %s%n", i + 1, a, b);
      }
      System.out.printf(
          Locale.ROOT,
          "BENCH state read (%d clients): %.0f req/s median, p99 %.1f ms median; runs %s%n",
          clients,
          median(api.stream().map(Load::perSecond).toList()),
          median(api.stream().map(Load::p99Ms).toList()),
          api);
      System.out.printf(
          Locale.ROOT,
          "BENCH baseline health check: %.0f req/s median, p99 %.1f ms median; runs %s%n",
          median(base.stream().map(Load::perSecond).toList()),
          median(base.stream().map(Load::p99Ms).toList()),
          base);

      pushLatency(node, http, bearer, rounds * 2);
    }
  }

  /** Stops and starts the module {@code changes} times; per change, push and poll latencies. */
  private static void pushLatency(NodeProcess node, HttpClient http, String bearer, int changes)
      throws Exception {
    AtomicReference<String> wanted = new AtomicReference<>("");
    AtomicReference<Instant> pushed = new AtomicReference<>();
    AtomicReference<Instant> sampled = new AtomicReference<>();
    Pattern time = Pattern.compile("\"time\":\"([^\"]+)\"");
    AtomicReference<Instant> polled = new AtomicReference<>();
    HttpResponse<java.io.InputStream> stream =
        http.send(
            HttpRequest.newBuilder(URI.create(BASE + "/api/v1.0/events"))
                .header("Authorization", bearer)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    Thread reader =
        new Thread(
            () -> {
              try (var r =
                  new java.io.BufferedReader(
                      new java.io.InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  Instant now = Instant.now();
                  String w = wanted.get();
                  if (!w.isEmpty() && line.contains("\"local\":\"" + w + "\"")) {
                    Matcher t = time.matcher(line);
                    if (pushed.compareAndSet(null, now) && t.find()) {
                      sampled.set(Instant.parse(t.group(1)));
                    }
                  }
                }
              } catch (java.io.IOException e) {
                // closed at the end
              }
            });
    reader.setDaemon(true);
    reader.start();
    HttpRequest state =
        HttpRequest.newBuilder(URI.create(BASE + "/api/v1.0/modules/" + MODULE))
            .header("Authorization", bearer)
            .build();
    List<Long> push = new ArrayList<>();
    List<Long> poll = new ArrayList<>();
    try {
      for (int i = 0; i < changes; i++) {
        boolean up = i % 2 == 1;
        String target = up ? "UP Ready" : "STOP NotReady";
        String bare = up ? "\"state\":\"UP\",\"readiness\":\"Ready\"" : "\"state\":\"STOP\"";
        pushed.set(null);
        sampled.set(null);
        polled.set(null);
        wanted.set(target);
        Thread poller =
            new Thread(
                () -> {
                  try {
                    while (polled.get() == null) {
                      String body = http.send(state, HttpResponse.BodyHandlers.ofString()).body();
                      if (body.contains(bare)) {
                        polled.compareAndSet(null, Instant.now());
                      }
                    }
                  } catch (Exception e) {
                    polled.compareAndSet(null, Instant.MAX);
                  }
                });
        poller.start();
        ok(node.safekit(up ? "start" : "stop", "-m", MODULE));
        ok(node.safekit("waitstate", "-t", "60", "-m", MODULE, up ? "UP" : "STOP"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((pushed.get() == null || polled.get() == null) && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        poller.join(30_000);
        Instant changed = changeTime(http, bearer, target);
        push.add(Duration.between(changed, pushed.get()).toMillis());
        poll.add(Duration.between(changed, polled.get()).toMillis());
        System.out.printf(
            Locale.ROOT,
            "BENCH change to %s at %s: seen by the node's sampler after %d ms, event at the client"
                + " after %d ms, polling client after %d ms%n",
            target,
            changed,
            Duration.between(changed, sampled.get()).toMillis(),
            push.get(i),
            poll.get(i));
      }
    } finally {
      stream.body().close();
    }
    System.out.printf(
        Locale.ROOT,
        "BENCH state change to SSE event: median %.0f ms, runs %s; baseline back-to-back polling:"
            + " median %.0f ms, runs %s%n",
        median(push.stream().map(Long::doubleValue).toList()),
        push,
        median(poll.stream().map(Long::doubleValue).toList()),
        poll);
  }

  /** The time of the newest {@code Local state <target>} row of the module log (REST, UTC). */
  private static Instant changeTime(HttpClient http, String bearer, String target)
      throws Exception {
    String log =
        http.send(
                HttpRequest.newBuilder(
                        URI.create(BASE + "/api/v1.0/modules/" + MODULE + "/log?level=E&limit=100"))
                    .header("Authorization", bearer)
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Instant last = null;
    Matcher m =
        Pattern.compile("\"time\":\"([^\"]+)\"[^}]*\"message\":\"Local state " + target + "\"")
            .matcher(log);
    while (m.find()) {
      last = Instant.parse(m.group(1));
    }
    if (last == null) {
      throw new AssertionError("no 'Local state " + target + "' in the module log:\n" + log);
    }
    return last;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
