package org.bulwark.rfs.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The policy of a node's next synchronisation, as {@code safekit rfssync} sets it (spec C.12, UG
 * §13.7.4.9): {@code default}, {@code full} (everything copied), or {@code external}: after a cold
 * or hot backup of the source restored on the destination, only what changed since the backup is
 * copied. The source ran {@code rfssync external prim <uid>}, the destination {@code rfssync
 * external second <uid>}; both must name the same uid and become primary and secondary
 * respectively. Pure: parsing, the wire form sent in the secondary's hello, and the applicability
 * rule.
 *
 * @param detect whether files modified while nothing tracked them (the module stopped between the
 *     backup and its start) are looked for by their modification time; {@code rfssync -d} turns it
 *     off
 * @param markMillis when the command ran (the start of change tracking), epoch milliseconds
 */
record RfssyncPolicy(Mode mode, Role role, String uid, boolean detect, long markMillis) {

  /** Resource {@code usersetting.rfssyncmode}. */
  enum Mode {
    DEFAULT,
    FULL,
    EXTERNAL;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Resource {@code usersetting.rfssyncrole}. */
  enum Role {
    DEFAULT,
    PRIM,
    SECOND;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Spec C.12: a uid of at most 24 characters. */
  static final int MAX_UID = 24;

  static final RfssyncPolicy DEFAULT = new RfssyncPolicy(Mode.DEFAULT, Role.DEFAULT, "", true, 0);
  static final RfssyncPolicy FULL = new RfssyncPolicy(Mode.FULL, Role.DEFAULT, "", true, 0);

  private static final String WIRE = "external:";

  static final String USAGE =
      "Usage: safekit rfssync [full | external prim|second UID | -d prim|second UID] -m AM";

  boolean external() {
    return mode == Mode.EXTERNAL;
  }

  /**
   * The arguments of {@code safekit rfssync}: empty when they only ask to show the policy.
   *
   * @throws IllegalArgumentException naming what is wrong; nothing is changed then
   */
  static Optional<RfssyncPolicy> parse(List<String> arguments, long nowMillis) {
    List<String> args = new ArrayList<>(arguments);
    if (args.isEmpty()) {
      return Optional.empty();
    }
    String first = args.remove(0);
    if (first.equals("full")) {
      noMore(args, 0);
      return Optional.of(FULL);
    }
    boolean detect = true;
    if (first.equals("external") && !args.isEmpty() && args.get(0).equals("-d")) {
      args.remove(0); // rfssync external -d …: the same as rfssync -d …
      detect = false;
    } else if (first.equals("-d")) {
      detect = false;
    } else if (!first.equals("external")) {
      throw new IllegalArgumentException(
          "unknown policy '" + first + "': full, external prim|second UID or -d prim|second UID");
    }
    if (args.isEmpty()) {
      throw new IllegalArgumentException("missing role: prim (source) or second (destination)");
    }
    Role role = role(args.remove(0));
    if (args.isEmpty()) {
      throw new IllegalArgumentException("missing UID of the backup (at most " + MAX_UID + ")");
    }
    String uid = uid(args.remove(0));
    noMore(args, 0);
    return Optional.of(new RfssyncPolicy(Mode.EXTERNAL, role, uid, detect, nowMillis));
  }

  private static Role role(String word) {
    return switch (word) {
      case "prim" -> Role.PRIM;
      case "second" -> Role.SECOND;
      default ->
          throw new IllegalArgumentException(
              "unknown role '" + word + "': prim (source) or second (destination)");
    };
  }

  /**
   * A uid: 1 to {@link #MAX_UID} printable characters, no blank.
   *
   * @throws IllegalArgumentException otherwise
   */
  static String uid(String uid) {
    if (uid.isEmpty() || uid.length() > MAX_UID) {
      throw new IllegalArgumentException(
          "UID '" + uid + "' has " + uid.length() + " characters: 1 to " + MAX_UID + " allowed");
    }
    for (int i = 0; i < uid.length(); i++) {
      char c = uid.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        throw new IllegalArgumentException("UID '" + uid + "' holds a blank or control character");
      }
    }
    return uid;
  }

  private static void noMore(List<String> args, int at) {
    if (args.size() > at) {
      throw new IllegalArgumentException("unexpected argument '" + args.get(at) + "'");
    }
  }

  /** The policy in the secondary's hello: {@code external:<role>:<uid>}, else empty. */
  String wire() {
    return external() ? WIRE + role.word() + ":" + uid : "";
  }

  /**
   * The external policy a secondary announced, if it announced one.
   *
   * @throws IllegalArgumentException if it is malformed
   */
  static Optional<RfssyncPolicy> fromWire(String policy) {
    if (!policy.startsWith(WIRE)) {
      return Optional.empty();
    }
    String[] parts = policy.substring(WIRE.length()).split(":", 2);
    if (parts.length != 2) {
      throw new IllegalArgumentException("malformed external policy " + policy);
    }
    return Optional.of(new RfssyncPolicy(Mode.EXTERNAL, role(parts[0]), uid(parts[1]), true, 0));
  }

  /**
   * Spec C.12: why the secondary's external policy cannot be applied against the primary's, or null
   * when it can (the secondary then receives only what the primary changed since its mark).
   */
  static String refusal(RfssyncPolicy primary, RfssyncPolicy secondary) {
    String prefix = "External synchronization " + secondary.uid() + " cannot be applied: ";
    if (secondary.role() != Role.SECOND) {
      return prefix
          + "the secondary node was prepared as the source (rfssync external prim), not as the"
          + " destination";
    }
    if (!primary.external()) {
      return prefix
          + "the primary has no external synchronization policy (its policy is "
          + primary.mode().word()
          + "; run safekit rfssync external prim "
          + secondary.uid()
          + " on it before the backup)";
    }
    if (primary.role() != Role.PRIM) {
      return prefix
          + "the primary node was prepared as the destination (rfssync external second), not as"
          + " the source";
    }
    if (!primary.uid().equals(secondary.uid())) {
      return prefix
          + "uid "
          + secondary.uid()
          + " of the secondary does not match uid "
          + primary.uid()
          + " of the primary";
    }
    return null;
  }

  /** What {@code safekit rfssync} shows. */
  List<String> describe(boolean applicable) {
    if (!external()) {
      return List.of(mode.word());
    }
    return List.of(
        "external "
            + role.word()
            + " "
            + uid
            + (detect ? "" : " (no change detection between backup and start)")
            + (applicable ? "" : " — not applicable"));
  }
}
