package org.bulwark.module.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bulwark.api.io.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incarnation of a mirror module on this node: a number larger than every previous one, sent in
 * every heartbeat so that the peer drops what an older run of this module sent (spec B.4, STYLE
 * habit 4). It must grow even when the clock was set back between two runs — the peer would
 * otherwise ignore this node for good — so it is a counter kept in {@code SAFEUSERVAR/incarnation}:
 * the next one is the larger of the last one plus one and the clock in milliseconds. The clock part
 * keeps it growing if the file is lost (a fresh {@code SAFEVAR}), as long as the clock then is past
 * the last incarnation the peer saw.
 */
final class Incarnation {
  private static final Logger LOG = LoggerFactory.getLogger(Incarnation.class);

  private Incarnation() {}

  /** Takes the next incarnation and records it durably before it is used. */
  static long next(Path file, long clockMillis) {
    long last = 0;
    if (Files.isRegularFile(file)) {
      try {
        last = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
      } catch (IOException | NumberFormatException e) {
        LOG.warn("{} unreadable ({}): the incarnation restarts from the clock", file, e.toString());
      }
    }
    long next = Math.max(last + 1, clockMillis);
    try {
      DurableFiles.write(file, (next + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      LOG.error("Cannot record the incarnation in {}: the next run may reuse {}", file, next, e);
    }
    return next;
  }
}
