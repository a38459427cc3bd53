package org.bulwark.config.internal.schema;

/**
 * A child element allowed in an element type.
 *
 * @param max the maximum count, -1 for unbounded
 * @param dynamic {@code bw:dynamic}: the whole subtree may change while the module runs
 */
public record ChildDecl(
    String name, String typeName, int min, int max, boolean dynamic, String doc) {}
