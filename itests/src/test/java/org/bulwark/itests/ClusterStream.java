package org.bulwark.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A Server-Sent Events client of a node's {@code /events/cluster}, read on the test's thread. */
final class ClusterStream implements AutoCloseable {
  private final HttpURLConnection connection;
  private final BufferedReader in;
  private final List<String> seen = new ArrayList<>();

  ClusterStream(String url, String user, String password) throws IOException {
    connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setRequestProperty(
        "Authorization",
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    connection.setRequestProperty("Accept", "text/event-stream");
    // the node writes a comment every 5 s: a read never waits much longer than that
    connection.setReadTimeout(10_000);
    if (connection.getResponseCode() != 200) {
      throw new IOException(url + " answered HTTP " + connection.getResponseCode());
    }
    in =
        new BufferedReader(
            new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Reads until an event of type {@code type} (its {@code event:} line) whose data contains every
   * one of {@code parts}; returns that data line. Fails after {@code seconds} with what it saw.
   */
  String await(String type, int seconds, String... parts) throws IOException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    String event = null;
    while (System.nanoTime() < deadline) {
      String line;
      try {
        line = in.readLine();
      } catch (SocketTimeoutException e) {
        continue;
      }
      if (line == null) {
        throw new IOException("the stream ended; seen: " + seen);
      }
      seen.add(line);
      if (line.startsWith("event:")) {
        event = line;
      } else if (line.startsWith("data:") && type.equals(event) && containsAll(line, parts)) {
        return line;
      }
    }
    throw new AssertionError(
        "no " + type + " with " + List.of(parts) + " within " + seconds + " s; seen: " + seen);
  }

  private static boolean containsAll(String line, String[] parts) {
    for (String p : parts) {
      if (!line.contains(p)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    connection.disconnect();
  }
}
