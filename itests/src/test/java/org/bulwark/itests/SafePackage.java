package org.bulwark.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds a {@code .safe} package (spec B.21) for tests: {@code AM/conf/…} and {@code AM/bin/…}. */
final class SafePackage {
  private final String module;
  private final Map<String, String> files = new LinkedHashMap<>();

  /** A script line recording the pid of the server just started in the background. */
  static final String SERVER_PID = "echo $! > \"$SAFEUSERVAR/server.pid\"\n";

  /** A stop script for the server recorded by {@link #SERVER_PID}. */
  static final String STOP_SERVER =
      "[ -f \"$SAFEUSERVAR/server.pid\" ] && kill \"$(cat \"$SAFEUSERVAR/server.pid\")\""
          + " 2>/dev/null\nrm -f \"$SAFEUSERVAR/server.pid\"\nexit 0\n";

  SafePackage(String module, String userconfig) {
    this.module = module;
    files.put("conf/userconfig.xml", userconfig);
  }

  /** A POSIX shell script in {@code bin/}. */
  SafePackage script(String name, String body) {
    files.put("bin/" + name, "#!/bin/sh\n" + body);
    return this;
  }

  Path writeTo(Path dir) throws IOException {
    Path file = dir.resolve(module + ".safe");
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> e : files.entrySet()) {
        ZipEntry entry = new ZipEntry(module + "/" + e.getKey());
        if (e.getKey().startsWith("bin/")) {
          entry.setExtra(null);
        }
        zip.putNextEntry(entry);
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return file;
  }

  /** A light module whose scripts append "<script> <args>" to {@code trace} and print a line. */
  static SafePackage tracing(String module, Path trace, String extraUser) {
    SafePackage p =
        new SafePackage(
            module,
            "<!DOCTYPE safe>\n<safe>\n  <service mode=\"light\">\n"
                + "    <user nicestoptimeout=\"3\" forcestoptimeout=\"3\""
                + extraUser
                + ">\n"
                + "      <var name=\"TRACE\" value=\""
                + trace
                + "\"/>\n"
                + "    </user>\n  </service>\n</safe>\n");
    for (String s : new String[] {"prestart", "start_both", "stop_both", "poststop"}) {
      p.script(
          s,
          "echo \""
              + s
              + " $*\" >> \"$TRACE\"\n"
              + "\"$SAFE/safekit\" printi \""
              + s
              + " says hello\"\n");
    }
    return p;
  }
}
