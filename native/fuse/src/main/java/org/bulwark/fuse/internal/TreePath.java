package org.bulwark.fuse.internal;

import java.nio.charset.StandardCharsets;
import org.bulwark.api.fs.ErrnoException;

/**
 * A path of a {@link ConfinedTree}, checked before any system call: {@code /}-separated components
 * that are neither empty, {@code .} nor {@code ..}, no NUL, an optional leading {@code /}; {@code
 * ""} and {@code "/"} name the root. The kernel then resolves it beneath the root ({@code
 * RESOLVE_BENEATH}); the check only turns the obviously hostile away early with {@code EINVAL}.
 *
 * <p>Names are encoded as UTF-8; a name that is not valid UTF-16 (a lone surrogate) is refused, so
 * two different strings never name the same file. Names on disk that are not UTF-8 are out of
 * scope: {@link ConfinedTree#list} decodes them with replacement characters.
 *
 * @param text the path as given (for messages)
 * @param full the whole relative path, NUL-terminated; {@code "."} for the root
 * @param parent the directory holding the last component, NUL-terminated; null when it is the root
 * @param name the last component, NUL-terminated; null for the root itself
 */
record TreePath(String text, byte[] full, byte[] parent, byte[] name) {
  private static final byte[] DOT = {'.', 0};
  private static final byte[] EMPTY = {0};

  static TreePath of(String call, String path) throws ErrnoException {
    if (path == null) {
      throw invalid(call, "null");
    }
    int start = path.startsWith("/") ? 1 : 0;
    if (start == path.length()) {
      return new TreePath(path, DOT, null, null);
    }
    int lastSlash = start - 1;
    for (int i = start; i <= path.length(); i++) {
      char c = i < path.length() ? path.charAt(i) : '/';
      if (c == '/') {
        int len = i - lastSlash - 1;
        if (len == 0
            || (len == 1 && path.charAt(i - 1) == '.')
            || (len == 2 && path.charAt(i - 1) == '.' && path.charAt(i - 2) == '.')) {
          throw invalid(call, path);
        }
        lastSlash = i < path.length() ? i : lastSlash;
      } else if (c == 0 || !wellFormed(path, i)) {
        throw invalid(call, path);
      }
    }
    byte[] full = cString(path.substring(start));
    if (lastSlash < start) {
      return new TreePath(path, full, null, full);
    }
    return new TreePath(
        path,
        full,
        cString(path.substring(start, lastSlash)),
        cString(path.substring(lastSlash + 1)));
  }

  boolean isRoot() {
    return name == null;
  }

  /** The path for calls made on the root descriptor itself: {@code ""} with AT_EMPTY_PATH. */
  static byte[] empty() {
    return EMPTY;
  }

  /** A NUL-terminated UTF-8 copy; the caller has refused NUL characters already. */
  static byte[] cString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
  }

  /** An xattr name or a symlink target: any text without NUL, as a C string. */
  static byte[] text(String call, String path, String what, String s) throws ErrnoException {
    if (s == null || s.indexOf(0) >= 0) {
      throw new ErrnoException(
          TreeCalls.EINVAL, call + " " + show(path) + ": invalid " + what + " (NUL)");
    }
    for (int i = 0; i < s.length(); i++) {
      if (!wellFormed(s, i)) {
        throw new ErrnoException(
            TreeCalls.EINVAL, call + " " + show(path) + ": invalid " + what + " (not UTF-16)");
      }
    }
    return cString(s);
  }

  private static boolean wellFormed(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
    return true;
  }

  private static ErrnoException invalid(String call, String path) {
    return new ErrnoException(
        TreeCalls.EINVAL,
        call + " " + show(path) + ": Invalid argument (empty, . or .. component, or NUL)");
  }

  /**
   * A path as it can appear in a message or a log line: hostile input must not forge log lines, so
   * control characters are escaped.
   */
  static String show(String path) {
    if (path == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(path.length() + 2).append('"');
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
