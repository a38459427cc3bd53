package org.bulwark.net.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * libnftables (Debian {@code libnftables1}, 1.0.6 here), the library behind the {@code nft}
 * command: a context, commands in nft's own language run from a buffer (a buffer is one
 * transaction), output and errors kept in buffers instead of printed. Direct-mapped.
 */
final class LibNftables {
  static final int NFT_CTX_DEFAULT = 0;

  static {
    // the runtime package ships only the versioned name; libnftables.so is in -dev
    Native.register(LibNftables.class, NativeLibrary.getInstance("libnftables.so.1"));
  }

  private LibNftables() {}

  static native Pointer nft_ctx_new(int flags);

  static native void nft_ctx_free(Pointer ctx);

  static native int nft_ctx_buffer_output(Pointer ctx);

  static native int nft_ctx_buffer_error(Pointer ctx);

  static native Pointer nft_ctx_get_output_buffer(Pointer ctx);

  static native Pointer nft_ctx_get_error_buffer(Pointer ctx);

  static native int nft_run_cmd_from_buffer(Pointer ctx, String buf);
}
