package org.bulwark.net.internal;

import com.sun.jna.Pointer;
import org.bulwark.api.net.NetException;

/**
 * One libnftables context. Not thread-safe (nor is the library's context): the owner serializes
 * calls. Its netlink socket belongs to the network namespace of the thread that created it.
 */
final class Nftables implements AutoCloseable {
  private Pointer ctx;

  Nftables() throws NetException {
    try {
      ctx = LibNftables.nft_ctx_new(LibNftables.NFT_CTX_DEFAULT);
    } catch (LinkageError e) {
      throw new NetException(
          "cannot load libnftables.so.1 (Debian package libnftables1, pulled by nftables): " + e,
          e);
    }
    if (ctx == null) {
      throw new NetException("libnftables: cannot create a context");
    }
    if (LibNftables.nft_ctx_buffer_output(ctx) != 0 || LibNftables.nft_ctx_buffer_error(ctx) != 0) {
      close();
      throw new NetException("libnftables: cannot buffer output");
    }
  }

  /**
   * Runs {@code commands} as one transaction and returns what nft printed. Fails with nft's own
   * error text (the line and the part of it that is wrong), the kernel unchanged.
   */
  String run(String commands, String what) throws NetException {
    if (ctx == null) {
      throw new NetException(what + ": the nftables context is closed");
    }
    int rc = LibNftables.nft_run_cmd_from_buffer(ctx, commands);
    String out = string(LibNftables.nft_ctx_get_output_buffer(ctx));
    String err = string(LibNftables.nft_ctx_get_error_buffer(ctx));
    if (rc != 0) {
      throw new NetException(what + ": " + (err.isBlank() ? "nftables error " + rc : err.strip()));
    }
    return out;
  }

  private static String string(Pointer p) {
    return p == null ? "" : p.getString(0, "UTF-8");
  }

  @Override
  public void close() {
    if (ctx != null) {
      LibNftables.nft_ctx_free(ctx);
      ctx = null;
    }
  }
}
