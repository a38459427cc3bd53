package org.bulwark.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An application beside a node: appends numbered records to a file, each followed by an fsync, and
 * prints a record's number only once its fsync returned — what the application was promised is
 * durable. {@link #spawn} runs it in a node's namespace, with the test's own JDK and classes;
 * {@code count} 0 writes until it is killed.
 *
 * <pre>
 *   RecordWriter FILE FIRST COUNT [PAUSE_MICROS]
 * </pre>
 *
 * A pause between records keeps a long run's file small (the application's own pace).
 */
final class RecordWriter implements AutoCloseable {
  static final int RECORD_BYTES = 64;
  private static final Pattern RECORD = Pattern.compile("record (\\d{8}) \\.{47}\n");

  final Process process;

  /** Numbers acknowledged so far (fsync returned), in order. */
  private final List<Long> acknowledged = new CopyOnWriteArrayList<>();

  /** What else it printed: errors, stack traces. */
  private final List<String> other = new CopyOnWriteArrayList<>();

  private final CompletableFuture<Void> drained;

  private RecordWriter(Process process) {
    this.process = process;
    this.drained = CompletableFuture.runAsync(this::drain);
  }

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    long first = Long.parseLong(args[1]);
    long count = Long.parseLong(args[2]);
    long pauseNanos = args.length > 3 ? Long.parseLong(args[3]) * 1000 : 0;
    try (FileChannel out =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      for (long n = first; count == 0 || n < first + count; n++) {
        ByteBuffer record = ByteBuffer.wrap(record(n).getBytes(StandardCharsets.US_ASCII));
        while (record.hasRemaining()) {
          out.write(record);
        }
        out.force(true); // fsync
        System.out.println(n);
        System.out.flush();
        if (pauseNanos > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
        }
      }
    }
  }

  /** Record {@code n}: {@link #RECORD_BYTES} bytes, the last a newline. */
  static String record(long n) {
    return String.format("record %08d %s\n", n, ".".repeat(47));
  }

  /** The numbers of the records in {@code content}, in order; fails on a torn or foreign line. */
  static List<Long> numbers(String content) {
    List<Long> numbers = new ArrayList<>();
    Matcher m = RECORD.matcher(content);
    for (int at = 0; at < content.length(); at = m.end()) {
      if (!m.find(at) || m.start() != at) {
        String here = content.substring(at, Math.min(content.length(), at + RECORD_BYTES));
        throw new AssertionError("not a record at byte " + at + ": \"" + here + "\"");
      }
      numbers.add(Long.parseLong(m.group(1)));
    }
    return numbers;
  }

  /** Starts a writer of {@code count} records from {@code first} in the node's namespace. */
  static RecordWriter spawn(NodeNamespace ns, Path file, long first, long count)
      throws IOException {
    return spawn(ns, file, first, count, 0);
  }

  /** The same, pausing {@code pauseMicros} between records. */
  static RecordWriter spawn(NodeNamespace ns, Path file, long first, long count, long pauseMicros)
      throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    String classes;
    try {
      classes =
          Path.of(RecordWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return new RecordWriter(
        ns.spawn(
            java.toString(),
            "-Xmx32m",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-cp",
            classes,
            RecordWriter.class.getName(),
            file.toString(),
            Long.toString(first),
            Long.toString(count),
            Long.toString(pauseMicros)));
  }

  private void drain() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.matches("\\d+")) {
          acknowledged.add(Long.parseLong(line));
        } else {
          other.add(line);
        }
      }
    } catch (IOException e) {
      other.add("(output unreadable: " + e + ")");
    }
  }

  List<Long> acknowledged() {
    return List.copyOf(acknowledged);
  }

  /** Waits until at least {@code n} records are acknowledged; fails when the writer ends first. */
  void awaitAcknowledged(int n, Duration deadline) throws InterruptedException {
    NodeNamespace.await(
        () -> acknowledged.size() >= n || drained.isDone(),
        deadline,
        () -> "only " + acknowledged.size() + " of " + n + " records acknowledged: " + this);
    if (acknowledged.size() < n) {
      throw new AssertionError("the writer ended after " + acknowledged.size() + ": " + this);
    }
  }

  /** Waits for the writer's end and all its output; returns its exit code. */
  int awaitEnd(Duration deadline) throws Exception {
    if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the writer did not end within " + deadline + ": " + this);
    }
    drained.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    return process.exitValue();
  }

  @Override
  public String toString() {
    int n = acknowledged.size();
    String last = n == 0 ? "none" : Long.toString(acknowledged.get(n - 1));
    return n + " acknowledged (last " + last + "), said " + other;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
