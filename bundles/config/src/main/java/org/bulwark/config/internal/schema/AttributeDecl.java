package org.bulwark.config.internal.schema;

/**
 * One attribute of an element type, from the XSD.
 *
 * @param defaultValue the XSD default, or null
 * @param unit implicit unit of a time value ({@code bw:unit}), or null
 * @param dynamic {@code bw:dynamic}, or inherited from a dynamic element
 * @param computedDefault {@code bw:default}: a default described rather than fixed, or null
 * @param legacy {@code bw:legacy}: accepted and ignored
 */
public record AttributeDecl(
    String name,
    SimpleType type,
    boolean required,
    String defaultValue,
    String unit,
    boolean dynamic,
    String computedDefault,
    boolean legacy,
    String doc) {}
