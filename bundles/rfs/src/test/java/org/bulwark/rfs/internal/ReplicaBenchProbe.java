package org.bulwark.rfs.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.bulwark.api.fs.FileInterceptor;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.FileOperationException;
import org.bulwark.api.fs.FileSystemDriver;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.api.fs.LocalTrees;
import org.bulwark.api.fs.Mount;
import org.bulwark.api.fs.MountOptions;

/**
 * Where a replicated write spends its time, for the benchmark build only ({@link ReplicaBench}
 * {@code --probe}): the services {@link ModuleRfs} is given are wrapped, so that the replication's
 * own code runs unchanged. On the primary, the interceptor's {@code before} (locks, the intent
 * record, its {@code fdatasync} on a new zone), the local operation between {@code before} and
 * {@code after} (the driver's {@code pwrite}/{@code fsync}), and {@code after} (the change built,
 * with the {@code statx} for the file's time, sent, and its acknowledgement awaited); on both nodes
 * every call of the confined trees and their open files (the secondary's {@code pwrite}, {@code
 * futimens}, {@code fsync}). Durations in nanoseconds, per key, printed as percentiles.
 */
final class ReplicaBenchProbe {
  private static final int CAP = 1 << 21;

  /** One key's durations, in arrival order (the first {@link #CAP}). */
  private static final class Samples {
    // guarded by this
    private long[] values = new long[1024];
    private int n;
    private long total;

    synchronized void add(long nanos) {
      total++;
      if (n == values.length) {
        if (n >= CAP) {
          return;
        }
        values = Arrays.copyOf(values, n * 2);
      }
      values[n++] = nanos;
    }
  }

  private final String node;

  // guarded by this
  private final Map<String, Samples> samples = new TreeMap<>();

  ReplicaBenchProbe(String node) {
    this.node = node;
  }

  private Samples of(String key) {
    synchronized (this) {
      return samples.computeIfAbsent(key, k -> new Samples());
    }
  }

  void record(String key, long nanos) {
    of(key).add(nanos);
  }

  /**
   * One line per key: {@code STAT node key count p50 p90 p99 mean max} (µs), then forgets them. The
   * count is of every call; the percentiles of the first {@link #CAP}.
   */
  void print(PrintStream out) {
    Map<String, Samples> all;
    synchronized (this) {
      all = new TreeMap<>(samples);
      samples.clear();
    }
    all.forEach(
        (key, s) -> {
          long[] v;
          long total;
          synchronized (s) {
            v = Arrays.copyOf(s.values, s.n);
            total = s.total;
          }
          if (v.length == 0) {
            return;
          }
          Arrays.sort(v);
          double mean = Arrays.stream(v).average().orElse(0);
          out.printf(
              "STAT %s %s %d %.1f %.1f %.1f %.1f %.1f%n",
              node,
              key,
              total,
              v[v.length / 2] / 1e3,
              v[(int) (v.length * 0.9)] / 1e3,
              v[(int) (v.length * 0.99)] / 1e3,
              mean / 1e3,
              v[v.length - 1] / 1e3);
        });
    out.flush();
  }

  /** The driver, its mounts' interceptors timed. */
  FileSystemDriver driver(FileSystemDriver real) {
    return new FileSystemDriver() {
      @Override
      public Mount mount(Path directory, MountOptions options) throws IOException {
        FileInterceptor i = options.interceptor();
        return real.mount(directory, i == null ? options : options.withInterceptor(timed(i)));
      }

      @Override
      public int cleanStaleMounts(Path directory) throws IOException {
        return real.cleanStaleMounts(directory);
      }

      @Override
      public boolean isMounted(Path directory) throws IOException {
        return real.isMounted(directory);
      }

      @Override
      public java.util.List<org.bulwark.api.fs.FileHolder> holders(Path directory)
          throws IOException {
        return real.holders(directory);
      }
    };
  }

  private FileInterceptor timed(FileInterceptor real) {
    ThreadLocal<long[]> left = ThreadLocal.withInitial(() -> new long[1]);
    return new FileInterceptor() {
      @Override
      public void before(FileOperation op) throws FileOperationException {
        long t0 = System.nanoTime();
        try {
          real.before(op);
        } finally {
          long t1 = System.nanoTime();
          record("before." + kind(op), t1 - t0);
          left.get()[0] = t1;
        }
      }

      @Override
      public void after(FileOperation op, int errno) throws FileOperationException {
        long t0 = System.nanoTime();
        record("local." + kind(op), t0 - left.get()[0]);
        try {
          real.after(op, errno);
        } finally {
          record("after." + kind(op), System.nanoTime() - t0);
        }
      }
    };
  }

  private static String kind(FileOperation op) {
    return op.getClass().getSimpleName();
  }

  /** The confined trees, every call of theirs and of their open files timed. */
  LocalTrees trees(LocalTrees real) {
    return dir -> proxy(LocalTree.class, real.open(dir), "tree.");
  }

  private <T> T proxy(Class<T> type, T target, String prefix) {
    InvocationHandler h =
        (p, method, args) -> {
          long t0 = System.nanoTime();
          try {
            Object r = method.invoke(target, args);
            if (r instanceof LocalTree.OpenFile f) {
              return proxy(LocalTree.OpenFile.class, f, "file.");
            }
            return r;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          } finally {
            record(prefix + method.getName(), System.nanoTime() - t0);
          }
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
  }
}
