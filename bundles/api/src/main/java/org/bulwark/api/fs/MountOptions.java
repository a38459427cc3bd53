package org.bulwark.api.fs;

import java.time.Duration;

/**
 * How to mount.
 *
 * @param readOnly every mutating operation fails with EROFS (the secondary's copy, spec B.7 {@code
 *     mode="read_only"}); the interceptor still sees nothing mutate
 * @param maxWrite largest write request the kernel sends, in bytes (4 KiB to 1 MiB; 128–256 KiB
 *     measured fastest)
 * @param threads largest number of worker threads serving requests in parallel
 * @param cacheTimeout how long the kernel may cache attributes and names. Zero (the default) keeps
 *     exact POSIX semantics across hard links and for changes made underneath by the driver's owner
 *     (reintegration); a positive value trades that for fewer requests
 * @param interceptor the sink that sees every mutating operation, or {@code null} for a pure
 *     pass-through
 */
public record MountOptions(
    boolean readOnly,
    int maxWrite,
    int threads,
    Duration cacheTimeout,
    FileInterceptor interceptor) {

  public static final int DEFAULT_MAX_WRITE = 128 * 1024;
  public static final int DEFAULT_THREADS = 8;

  public MountOptions {
    if (maxWrite < 4096 || maxWrite > 1024 * 1024) {
      throw new IllegalArgumentException("maxWrite must be 4096..1048576 bytes: " + maxWrite);
    }
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("threads must be 1..256: " + threads);
    }
    if (cacheTimeout == null || cacheTimeout.isNegative()) {
      throw new IllegalArgumentException("cacheTimeout must be zero or positive: " + cacheTimeout);
    }
  }

  /** Read-write, 128 KiB requests, 8 threads, no caching, no interceptor. */
  public static MountOptions defaults() {
    return new MountOptions(false, DEFAULT_MAX_WRITE, DEFAULT_THREADS, Duration.ZERO, null);
  }

  public MountOptions withReadOnly(boolean value) {
    return new MountOptions(value, maxWrite, threads, cacheTimeout, interceptor);
  }

  public MountOptions withMaxWrite(int value) {
    return new MountOptions(readOnly, value, threads, cacheTimeout, interceptor);
  }

  public MountOptions withThreads(int value) {
    return new MountOptions(readOnly, maxWrite, value, cacheTimeout, interceptor);
  }

  public MountOptions withCacheTimeout(Duration value) {
    return new MountOptions(readOnly, maxWrite, threads, value, interceptor);
  }

  public MountOptions withInterceptor(FileInterceptor value) {
    return new MountOptions(readOnly, maxWrite, threads, cacheTimeout, value);
  }
}
