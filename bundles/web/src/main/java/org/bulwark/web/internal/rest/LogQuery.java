package org.bulwark.web.internal.rest;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.StoreException;

/**
 * A filtered page of a module log (spec G.6, console Logs tab): rows after a sequence number, or
 * the newest ones, of some levels and one component. The filters apply as rows are read, so that a
 * page holds {@code limit} matching rows when the log has them.
 *
 * @param verbose the verbose view (I and D rows too)
 * @param levels the levels kept, all when empty
 * @param component the component kept, all when null
 * @param after rows after this sequence number, or -1 for the newest rows
 * @param limit rows at most
 */
record LogQuery(boolean verbose, Set<EventLevel> levels, String component, long after, int limit) {
  static final int MAX_LIMIT = 1000;

  /** Rows read from the store at most for one page, whatever the filters keep. */
  static final int MAX_SCANNED = 100_000;

  /** The query of these parameters, or a 400 naming the one that is wrong. */
  static LogQuery parse(
      String verbose, String levels, String component, String after, String limit) {
    Set<EventLevel> kept = EnumSet.noneOf(EventLevel.class);
    if (levels != null && !levels.isBlank()) {
      for (String l : levels.split(",")) {
        try {
          kept.add(EventLevel.valueOf(l.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw ApiException.badRequest(
              "query parameter 'level' takes levels among U, E, C, S, W, I, D, not '" + l + "'");
        }
      }
    }
    return new LogQuery(
        Params.flag("verbose", verbose),
        kept,
        component == null || component.isBlank() ? null : component,
        Params.sequence("after", after),
        Params.integer("limit", limit, 1, MAX_LIMIT, 100));
  }

  boolean keeps(EventEntry e) {
    return (levels.isEmpty() || levels.contains(e.level()))
        && (component == null || component.equals(e.component()));
  }

  /** The page of {@code module}'s log. */
  Views.LogPage run(EventLog log, String module) throws StoreException {
    List<EventEntry> kept = new ArrayList<>();
    long next = after;
    if (after < 0) {
      // the newest rows: the tail, widened until it holds enough matching rows
      int window = limit;
      while (true) {
        List<EventEntry> tail = log.tail(module, verbose, window);
        kept.clear();
        tail.stream().filter(this::keeps).forEach(kept::add);
        if (kept.size() >= limit || tail.size() < window || window >= MAX_SCANNED) {
          next = tail.isEmpty() ? 0 : tail.get(tail.size() - 1).seq();
          break;
        }
        window = Math.min(MAX_SCANNED, window * 4);
      }
      if (kept.size() > limit) {
        kept = new ArrayList<>(kept.subList(kept.size() - limit, kept.size()));
      }
    } else {
      int scanned = 0;
      while (kept.size() < limit && scanned < MAX_SCANNED) {
        List<EventEntry> rows = log.read(module, next, verbose, MAX_LIMIT);
        for (EventEntry e : rows) {
          next = e.seq();
          if (keeps(e) && kept.size() < limit) {
            kept.add(e);
          }
          if (kept.size() == limit) {
            break;
          }
        }
        scanned += rows.size();
        if (rows.size() < MAX_LIMIT) {
          break;
        }
      }
    }
    return new Views.LogPage(kept.stream().map(Views.LogEntry::of).toList(), next);
  }
}
