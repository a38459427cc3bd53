package org.bulwark.web.internal.listen;

import java.util.List;

/**
 * Starts and stops this node's web service and keeps its boot setting (spec F.1 {@code safekit
 * webserver}, {@code safekit boot webon|weboff|webstatus}); the verbs are thin faces over it.
 */
public interface WebControl {

  /** What {@code webserver status} shows. */
  record Status(
      boolean running, boolean bootOn, String setting, List<String> addresses, int port) {}

  /** Starts the web service and returns once it accepts connections. */
  void start() throws Exception;

  /** Stops the web service and returns once it no longer accepts connections. */
  void stop() throws Exception;

  Status status();

  /** Sets whether the web service starts with the node. */
  void setBoot(boolean on) throws Exception;
}
