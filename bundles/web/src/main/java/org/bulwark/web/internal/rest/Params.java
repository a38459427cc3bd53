package org.bulwark.web.internal.rest;

/**
 * Query parameters taken as text and parsed here, so that a bad value is a 400 naming the parameter
 * (JAX-RS would answer 404 for a number that does not parse).
 */
final class Params {
  private Params() {}

  static int integer(String name, String value, int min, int max, int fallback) {
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest(
        "query parameter '"
            + name
            + "' must be a number from "
            + min
            + " to "
            + max
            + ", not '"
            + value
            + "'");
  }

  static long sequence(String name, String value) {
    if (value == null || value.isEmpty()) {
      return -1;
    }
    try {
      long n = Long.parseLong(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest(
        "query parameter '"
            + name
            + "' must be a sequence number (0 or more), not '"
            + value
            + "'");
  }

  static boolean flag(String name, String value) {
    if (value == null || value.isEmpty() || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw ApiException.badRequest(
        "query parameter '" + name + "' must be true or false, not '" + value + "'");
  }

  /** Whether {@code name} can be a module name (letters, digits, '_' and '-', spec B.21). */
  static boolean isModuleName(String name) {
    return name != null && name.matches("[A-Za-z0-9_-]{1,64}");
  }
}
