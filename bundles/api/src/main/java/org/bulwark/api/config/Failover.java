package org.bulwark.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code <failover>} element (spec B.19). The rules are kept as text for the failover machine's
 * own parser. Not dynamic.
 *
 * @param extendsDefaults {@code extends="yes"} (default): user rules add to the predefined ones
 * @param period evaluation period (default 5000 ms)
 * @param handleTime how long an action must hold before it is applied (default 15000 ms)
 * @param sections the rule texts, one per CDATA section or text block, macros expanded
 * @param line the line of the {@code <failover>} element, for the rules parser's messages
 */
public record Failover(
    boolean extendsDefaults,
    Duration period,
    Duration handleTime,
    List<RuleSection> sections,
    int line) {

  public static final Duration DEFAULT_PERIOD = Duration.ofMillis(5000);
  public static final Duration DEFAULT_HANDLE_TIME = Duration.ofMillis(15000);

  public Failover {
    Objects.requireNonNull(period);
    Objects.requireNonNull(handleTime);
    sections = List.copyOf(sections);
  }

  /**
   * One block of rules.
   *
   * @param text the rules, as written
   * @param line the line of the text's first non-blank character
   * @param column the column of that character, 0 when unknown; with {@code line} it lets the rules
   *     parser report {@code userconfig.xml:line:column} for a mistake inside the text
   * @param lua whether the block is Lua ({@code --Lua Rules} first line)
   */
  public record RuleSection(String text, int line, int column, boolean lua) {

    /** A block whose first column is not known. */
    public RuleSection(String text, int line, boolean lua) {
      this(text, line, 0, lua);
    }
  }
}
