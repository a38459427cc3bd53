package org.bulwark.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.rfs.SyncSchedule;
import org.bulwark.config.internal.xml.XmlAttribute;
import org.bulwark.config.internal.xml.XmlElement;

/** {@code <rfs>} and its {@code <replicated>} directories (spec B.7). */
final class RfsBuilder {

  private static final Pattern ABSOLUTE = Pattern.compile("/.*|[A-Za-z]:[\\\\/].*");

  private final BuildContext ctx;

  RfsBuilder(BuildContext ctx) {
    this.ctx = ctx;
  }

  Rfs rfs(XmlElement element) {
    Fields f = ctx.fields(element);
    long reipacketsize = f.longValue("reipacketsize");
    long ruzone =
        f.optional("ruzone_blocksize").isPresent()
            ? f.longValue("ruzone_blocksize")
            : reipacketsize;
    if (f.has("ruzone_blocksize") && reipacketsize > 0 && ruzone % reipacketsize != 0) {
      ctx.problems.at(
          f.attribute("ruzone_blocksize"),
          "ruzone_blocksize ("
              + ruzone
              + ") must be a multiple of reipacketsize ("
              + reipacketsize
              + ")");
    }
    XmlElement flow = element.child("flow");
    java.util.Optional<String> flowName = java.util.Optional.empty();
    List<String> flowServers = List.of();
    if (flow != null) {
      Fields fl = ctx.fields(flow);
      flowServers =
          ctx.legacy.children(ctx, fl, "server").stream().map(s -> s.text("addr")).toList();
      ctx.checkLan(fl, "name");
      flowName = fl.optional("name");
    }
    checkSyncat(f);
    if (f.has("nbremconn") && f.integer("nbremconn") > MAX_CONNECTIONS) {
      ctx.problems.at(
          f.attribute("nbremconn"),
          "nbremconn is "
              + f.integer("nbremconn")
              + ": at most "
              + MAX_CONNECTIONS
              + " connections between primary and secondary");
    }
    List<Rfs.Replicated> replicated = new ArrayList<>();
    List<XmlAttribute> dirs = new ArrayList<>();
    for (XmlElement dir : element.children("replicated")) {
      replicated.add(replicated(ctx.fields(dir), dirs));
    }
    return new Rfs(
        f.flag("acl"),
        f.choice("async", Rfs.Async.class, Rfs.Async.SECOND),
        f.time("iotimeout"),
        f.text("roflags"),
        f.time("locktimeout"),
        f.time("sendtimeout"),
        f.integer("nbrei"),
        ruzone,
        f.integer("namespacepolicy"),
        f.time("reitimeout"),
        f.integer("reicommit"),
        f.flag("reidetail"),
        f.integer("allocthreshold"),
        f.integer("nbremconn"),
        f.time("checktime"),
        f.time("checkintv"),
        f.text("nfsbox_options").equals("cross"),
        f.flag("scripts"),
        f.optionalLong("reiallowedbw"),
        f.time("syncdelta"),
        f.optional("syncat"),
        f.optionalLong("packetsize"),
        reipacketsize,
        f.text("mountoversuffix"),
        flowName,
        flowServers,
        replicated);
  }

  /** {@code nbremconn} at most: the replication protocol's limit (bundles/rfs, MsgCodec). */
  static final int MAX_CONNECTIONS = 16;

  /**
   * {@code syncat} is a Linux cron schedule (spec B.7, C.12): checked here so that {@code
   * confcheck} names the field at fault, rather than the module failing when it starts.
   */
  private void checkSyncat(Fields f) {
    java.util.Optional<String> syncat = f.optional("syncat");
    if (syncat.isEmpty()) {
      return;
    }
    try {
      SyncSchedule.parse(syncat.get());
    } catch (IllegalArgumentException e) {
      ctx.problems.at(f.attribute("syncat"), "invalid syncat schedule: " + e.getMessage());
    }
  }

  private Rfs.Replicated replicated(Fields r, List<XmlAttribute> dirs) {
    String dir = r.text("dir");
    if (r.has("dir")) {
      if (!ABSOLUTE.matcher(dir).matches()) {
        ctx.problems.at(
            r.attribute("dir"), "replicated directory '" + dir + "' must be an " + "absolute path");
      } else if (dir.equals("/") || dir.matches("[A-Za-z]:[\\\\/]?")) {
        ctx.problems.at(r.attribute("dir"), "a filesystem root cannot be replicated");
      } else {
        checkOverlap(r.attribute("dir"), dir, dirs);
      }
    }
    List<String> tocheck = new ArrayList<>();
    for (XmlElement check : r.element().children("tocheck")) {
      tocheck.add(ctx.fields(check).text("path"));
    }
    List<Rfs.NotReplicated> excluded = new ArrayList<>();
    for (XmlElement not : r.element().children("notreplicated")) {
      Fields n = ctx.fields(not);
      boolean path = n.attribute("path") != null;
      boolean regex = n.attribute("regexpath") != null;
      if (path == regex) {
        ctx.problems.at(
            not, "<notreplicated> takes either path or regexpath" + (path ? ", not both" : ""));
      } else if (regex && n.has("regexpath")) {
        String value = n.text("regexpath");
        try {
          Pattern.compile(value.startsWith("!") ? value.substring(1) : value);
        } catch (PatternSyntaxException e) {
          ctx.problems.at(
              n.attribute("regexpath"),
              "invalid regular expression '" + value + "': " + e.getDescription());
        }
      }
      excluded.add(new Rfs.NotReplicated(regex, regex ? n.text("regexpath") : n.text("path")));
    }
    return new Rfs.Replicated(dir, r.text("mode").equals("read_only"), tocheck, excluded);
  }

  private void checkOverlap(XmlAttribute attribute, String dir, List<XmlAttribute> dirs) {
    String normal = strip(dir);
    for (XmlAttribute other : dirs) {
      String otherDir = strip(other.value().trim());
      if (otherDir.equals(normal)) {
        ctx.problems.at(
            attribute, "directory '" + dir + "' is already replicated (line " + other.line() + ")");
        return;
      }
      if (normal.startsWith(otherDir + "/") || otherDir.startsWith(normal + "/")) {
        ctx.problems.at(
            attribute,
            "replicated directories must not contain one another: '"
                + dir
                + "' and '"
                + other.value().trim()
                + "' (line "
                + other.line()
                + ")");
        return;
      }
    }
    dirs.add(attribute);
  }

  private static String strip(String dir) {
    String unified = dir.replace('\\', '/');
    return unified.endsWith("/") ? unified.substring(0, unified.length() - 1) : unified;
  }
}
