package org.bulwark.api.fs;

/** The Linux errno values an interceptor typically answers with. */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EIO = 5;
  public static final int EAGAIN = 11;
  public static final int EACCES = 13;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int ENOSPC = 28;
  public static final int EROFS = 30;
  public static final int ETIMEDOUT = 110;
  public static final int ENOTCONN = 107;

  private Errno() {}
}
