package org.bulwark.rfs.internal;

/**
 * Which extended attributes travel (spec B.7 {@code acl}): user and trusted attributes and file
 * capabilities always; POSIX ACLs ({@code system.posix_acl_*}) only with {@code acl="on"}; other
 * {@code security.*} labels (SELinux, IMA) belong to each node's policy and stay local.
 */
final class Xattrs {
  /** A file's access ACL: setting it sets the group bits of the mode too (the ACL's mask). */
  static final String ACCESS_ACL = "system.posix_acl_access";

  private Xattrs() {}

  static boolean replicated(String name, boolean acl) {
    if (name.startsWith("user.") || name.startsWith("trusted.")) {
      return true;
    }
    if (name.equals("security.capability")) {
      return true;
    }
    return acl && name.startsWith("system.posix_acl_");
  }
}
