package org.bulwark.store.internal;

/**
 * Derby optimizer overrides for the journal's queries. Derby costs a plan without regard to {@code
 * FETCH FIRST}: on a table whose rows mostly match, it prefers a heap scan and a sort of every row
 * to an index scan that stops after {@code limit} rows. The hints pin each read to the index that
 * makes its work proportional to the rows returned. Derby scans an index forwards only, hence the
 * descending twins for the tails (newest first).
 */
final class Hint {

  private Hint() {}

  /** {@code table} in a FROM clause, read through {@code index}. */
  static String index(String table, String index) {
    // The override is a comment: it must end the line.
    return table + " --DERBY-PROPERTIES index=" + index + "\n";
  }

  /** {@code table} in a FROM clause, read through the index of {@code constraint}. */
  static String constraint(String table, String constraint) {
    return table + " --DERBY-PROPERTIES constraint=" + constraint + "\n";
  }
}
