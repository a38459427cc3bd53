package org.bulwark.rfs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.fs.FileType;

/**
 * Online verify of a synchronous secondary (issue 9 item 6; spec C.12 {@code rfsverify}): every
 * directory's names, every file's attributes and every zone of its data are checksummed here and
 * compared there, each request queued under the same locks as the application's writes, so the
 * application goes on meanwhile. Divergent zones and attributes can be sent again; divergent names
 * need a reintegration ({@code safekit second fullsync} on the secondary).
 */
final class Verifier {
  private final PrimaryReplica replica;
  private final PrimarySession session;
  private final ByteBuffer buf = ByteBuffer.allocate(1 << 20);

  /** What differs, by path: zones of data, attributes, names. */
  record Difference(int dir, String path, String what) {}

  record Report(long files, long zones, List<Difference> differences, boolean resent) {
    List<String> lines() {
      List<String> out = new ArrayList<>();
      for (Difference d : differences) {
        out.add(
            d.path()
                + ": "
                + d.what()
                + " differ"
                + (d.dir() > 0 ? " (directory " + d.dir() + ")" : ""));
      }
      out.add(
          files
              + " files and directories, "
              + zones
              + " zones verified: "
              + (differences.isEmpty()
                  ? "the secondary is identical"
                  : differences.size() + " differences" + (resent ? ", sent again" : "")));
      return out;
    }
  }

  Verifier(PrimaryReplica replica, PrimarySession session) {
    this.replica = replica;
    this.session = session;
  }

  Report run(boolean resend) throws IOException {
    record Pending(int dir, String path, String what, long zone, CompletableFuture<Integer> ack) {}
    List<Pending> pending = new ArrayList<>();
    long files = 0;
    long zones = 0;
    long zoneSize = replica.tracker().zoneSize();
    int chunk = (int) Math.min(zoneSize, MsgCodec.MAX_DATA);
    for (int d = 0; d < replica.dirCount(); d++) {
      for (Msg.Entry e : TreeWalk.walk(replica.tree(d), d, replica.exclusions(d))) {
        files++;
        FileType type = FileType.values()[e.type()];
        replica.locks().lockFile(d, e.path());
        try {
          replica.times().carry(session, d, e.path()); // times are compared once carried
          pending.add(
              new Pending(
                  d,
                  e.path(),
                  "attributes",
                  -1,
                  verify(
                      d,
                      e.path(),
                      Change.Verify.ATTRIBUTES,
                      0,
                      0,
                      Checksums.attributes(replica.tree(d), e.path()))));
          if (type == FileType.DIRECTORY) {
            long names = Checksums.names(replica.tree(d), e.path(), replica.exclusions(d));
            pending.add(
                new Pending(
                    d,
                    e.path(),
                    "names",
                    -1,
                    verify(d, e.path(), Change.Verify.NAMES, 0, 0, names)));
          }
        } finally {
          replica.locks().unlockFile(d, e.path());
        }
        if (type != FileType.REGULAR) {
          continue;
        }
        for (long at = 0; at < Math.max(e.size(), 1); at += chunk) {
          zones++;
          replica.locks().lockFile(d, e.path());
          try {
            long sum = Checksums.data(replica.tree(d), e.path(), at, chunk, buf);
            pending.add(
                new Pending(
                    d,
                    e.path(),
                    "data",
                    at / zoneSize,
                    verify(d, e.path(), Change.Verify.DATA, at, chunk, sum)));
          } finally {
            replica.locks().unlockFile(d, e.path());
          }
        }
      }
    }
    Map<String, Difference> differences = new LinkedHashMap<>();
    Map<String, BitSet> zonesToResend = new LinkedHashMap<>();
    List<String> attributesToResend = new ArrayList<>();
    for (Pending p : pending) {
      int answer;
      try {
        answer = p.ack().get(replica.lockTimeoutMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new IOException("the secondary did not answer the verify: " + e.getMessage());
      }
      if (answer == Change.SAME) {
        continue;
      }
      String key = Dirt.key(p.dir(), p.path());
      String what = p.zone() >= 0 ? "data" : p.what();
      differences.merge(
          key + " " + what,
          new Difference(
              p.dir(), p.path(), what + (p.zone() >= 0 ? " (zone " + p.zone() + ")" : "")),
          (a, b) ->
              new Difference(a.dir(), a.path(), a.what().replace(")", ", " + p.zone() + ")")));
      if (p.zone() >= 0) {
        zonesToResend.computeIfAbsent(key, k -> new BitSet()).set((int) p.zone());
      } else if (p.what().equals("attributes")) {
        attributesToResend.add(key);
      }
    }
    boolean resent = false;
    if (resend && !differences.isEmpty()) {
      Reintegrator fix = new Reintegrator(replica, session, () -> List.of());
      for (Map.Entry<String, BitSet> z : zonesToResend.entrySet()) {
        String[] kp = split(z.getKey());
        fix.execute(new Plan.Copy(Integer.parseInt(kp[0]), kp[1], z.getValue(), false), false);
      }
      for (String key : attributesToResend) {
        String[] kp = split(key);
        fix.execute(new Plan.Attrs(Integer.parseInt(kp[0]), kp[1]), false);
      }
      resent = session.drain(replica.lockTimeoutMillis());
    }
    return new Report(files, zones, new ArrayList<>(differences.values()), resent);
  }

  private static String[] split(String key) {
    int colon = key.indexOf(':');
    return new String[] {key.substring(0, colon), key.substring(colon + 1)};
  }

  private CompletableFuture<Integer> verify(
      int dir, String path, int kind, long offset, long length, long checksum) throws IOException {
    return session.send(new Change.Verify(dir, path, kind, offset, length, checksum));
  }
}
