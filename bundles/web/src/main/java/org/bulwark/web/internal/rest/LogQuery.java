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
 * A filtered page of a module log (spec G.6, console Logs tab): rows after a sequence number, the
 * newest rows before one (the context of a row, spec G.4: "click → verbose context"), or the newest
 * ones, of some levels and one component. The filters apply as rows are read, so that a page holds
 * {@code limit} matching rows when the log has them.
 *
 * @param verbose the verbose view (I and D rows too)
 * @param levels the levels kept, all when empty
 * @param component the component kept, all when null
 * @param after rows after this sequence number, or -1
 * @param before the newest rows before this sequence number, or -1; -1 for both: the newest rows
 * @param limit rows at most
 */
record LogQuery(
    boolean verbose, Set<EventLevel> levels, String component, long after, long before, int limit) {
  static final int MAX_LIMIT = 1000;

  /** Rows read from the store at most for one page, whatever the filters keep. */
  static final int MAX_SCANNED = 100_000;

  /** The query of these parameters, or a 400 naming the one that is wrong. */
  static LogQuery parse(
      String verbose, String levels, String component, String after, String before, String limit) {
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
    long from = Params.sequence("after", after);
    long to = Params.sequence("before", before);
    if (from >= 0 && to >= 0) {
      throw ApiException.badRequest(
          "query parameters 'after' and 'before' cannot be given together: one page goes one way");
    }
    return new LogQuery(
        Params.flag("verbose", verbose),
        kept,
        component == null || component.isBlank() ? null : component,
        from,
        to,
        Params.integer("limit", limit, 1, MAX_LIMIT, 100));
  }

  boolean keeps(EventEntry e) {
    return (levels.isEmpty() || levels.contains(e.level()))
        && (component == null || component.equals(e.component()));
  }

  /** The page of {@code module}'s log. */
  Views.LogPage run(EventLog log, String module) throws StoreException {
    if (before >= 0) {
      return new Views.LogPage(
          before(log, module).stream().map(Views.LogEntry::of).toList(), Math.max(0, before - 1));
    }
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

  /**
   * The newest {@code limit} matching rows before {@code before}, oldest first. The store reads
   * forwards only: windows of sequence numbers are read backwards from {@code before}, each four
   * times wider than the last, until they hold enough rows. A window spans as many sequence numbers
   * as it can hold rows (the other modules share the numbers), so that at most {@link #MAX_SCANNED}
   * rows are read.
   */
  private List<EventEntry> before(EventLog log, String module) throws StoreException {
    List<EventEntry> kept = new ArrayList<>();
    long to = before; // the window is [from, to)
    long span = Math.max(limit * 2L, 16);
    while (kept.size() < limit && to > 1 && before - to < MAX_SCANNED) {
      long from = Math.max(1, to - span);
      List<EventEntry> window = new ArrayList<>();
      long last = from - 1;
      while (last < to - 1) {
        int asked = (int) Math.min(MAX_LIMIT, to - 1 - last);
        List<EventEntry> rows = log.read(module, last, verbose, asked);
        for (EventEntry e : rows) {
          if (e.seq() >= to) {
            break;
          }
          if (keeps(e)) {
            window.add(e);
          }
        }
        if (rows.size() < asked || rows.get(rows.size() - 1).seq() >= to - 1) {
          break;
        }
        last = rows.get(rows.size() - 1).seq();
      }
      kept.addAll(0, window);
      to = from;
      span *= 4;
    }
    return kept.size() > limit ? List.copyOf(kept.subList(kept.size() - limit, kept.size())) : kept;
  }
}
