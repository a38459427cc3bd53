package org.bulwark.rfs.internal;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.fs.FileType;

/**
 * The order of a reintegration pass's steps over several streams (spec B.7 {@code nbrei}): the
 * changes of names first, in the plan's order (the secondary applies each once everything before it
 * is applied), but for new files: each new file is created by the stream that copies it, right
 * before its data (the secondary creates it on the lane of its path: creations overlap the copies
 * instead of all going first, ext4 taking up to a millisecond each: docs/benchmarks.md, "Full
 * synchronisation"); the copies and attributes on the streams, in parallel (the secondary applies
 * each file's changes in order, different files' at once); then the other names of files (links to
 * a file created above) and the directories' attributes, whose times the creations in them change.
 *
 * <p>Pure: it only sorts the plan's steps; {@link Reintegrator} runs them in this order.
 *
 * @param names the changes of names, run first, one after another in the plan's order
 * @param units what the streams run, each unit on one stream in its order (a new file's creation
 *     and its copy, or one step), the largest first
 * @param links the creations of other names of files, run once the units are done
 * @param directories the directories' attributes, run last
 */
record PassOrder(
    List<Plan.Step> names,
    List<List<Plan.Step>> units,
    List<Plan.Step> links,
    List<Plan.Step> directories) {

  /**
   * A pass's steps, as planned, in the streams' order.
   *
   * @param ours the primary's listing the steps were planned from (the files' sizes)
   */
  static PassOrder of(List<Plan.Step> steps, List<Msg.Entry> ours) {
    List<Plan.Step> names = new ArrayList<>();
    List<List<Plan.Step>> units = new ArrayList<>();
    List<Plan.Step> after = new ArrayList<>();
    List<Plan.Step> directories = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Plan.Step step = steps.get(i);
      Plan.Step next = i + 1 < steps.size() ? steps.get(i + 1) : null;
      if (step instanceof Plan.Send s
          && s.change() instanceof Change.Create c
          && next instanceof Plan.Copy copy
          && copy.dir() == c.dir()
          && copy.path().equals(c.path())) {
        units.add(List.of(step, next));
        i++;
      } else if (step instanceof Plan.Send s && createsAFile(s.change())) {
        after.add(step);
      } else if (step instanceof Plan.Send) {
        names.add(step);
      } else if (step instanceof Plan.Attrs a && a.type() == FileType.DIRECTORY) {
        directories.add(step);
      } else {
        units.add(List.of(step));
      }
    }
    // the largest first (CopyStreams: half of the streams take them from the other end)
    java.util.Map<String, Long> sizes = sizes(ours);
    units.sort(
        java.util.Comparator.comparingLong(
            (List<Plan.Step> unit) -> -size(unit.get(unit.size() - 1), sizes)));
    return new PassOrder(names, units, after, directories);
  }

  private static boolean createsAFile(Change c) {
    return c instanceof Change.Create || c instanceof Change.Link;
  }

  /** The listed files' sizes, by {@link Dirt#key}. */
  static java.util.Map<String, Long> sizes(List<Msg.Entry> ours) {
    java.util.Map<String, Long> sizes = new java.util.HashMap<>();
    for (Msg.Entry e : ours) {
      sizes.put(Dirt.key(e.dir(), e.path()), e.size());
    }
    return sizes;
  }

  /** A copy's file size as listed; 0 for attributes. */
  private static long size(Plan.Step step, java.util.Map<String, Long> sizes) {
    return step instanceof Plan.Copy c ? sizes.getOrDefault(Dirt.key(c.dir(), c.path()), 0L) : 0;
  }
}
