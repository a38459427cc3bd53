package org.bulwark.web.internal.rest;

import java.nio.file.Path;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.web.internal.auth.UserStore;

/** Where the web service's users and keys are: {@code SAFE/web/conf}, as in SafeKit (spec G.2). */
public final class WebConf {
  /** The bcrypt cost of new password hashes: about a quarter of a second on a current core. */
  static final int BCRYPT_COST = 12;

  private WebConf() {}

  public static Path directory(NodeEnvironment env) {
    return env.directories().safe().resolve("web").resolve("conf");
  }

  /** The node's web port ({@code BULWARK_WEB_PORT}, passed by {@code bin/bulwark}; 9010). */
  public static int webPort() {
    return Integer.getInteger("bulwark.web.port", 9010);
  }

  public static UserStore users(NodeEnvironment env) {
    return new UserStore(directory(env), BCRYPT_COST);
  }
}
