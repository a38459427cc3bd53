package org.bulwark.shell.internal;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.bulwark.api.cli.CliOutput;

/**
 * A {@link CliOutput} whose two writers send frames to the client as they are flushed, so that
 * long-running verbs ({@code waitstart}, {@code logview}) stream.
 */
final class FrameOutput implements CliOutput {
  private final Object lock = new Object();

  // guarded by lock: frames of the two streams must not interleave mid-frame
  private final DataOutputStream socket;

  private final PrintWriter out;
  private final PrintWriter err;

  FrameOutput(DataOutputStream socket) {
    this.socket = socket;
    this.out = writer(Frames.OUT);
    this.err = writer(Frames.ERR);
  }

  private PrintWriter writer(byte type) {
    OutputStream stream =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
              return;
            }
            // an IOException here (client gone) sets the PrintWriter's error flag
            synchronized (lock) {
              Frames.writeFrame(socket, type, b, off, len);
            }
          }

          @Override
          public void flush() throws IOException {
            synchronized (lock) {
              socket.flush();
            }
          }
        };
    return new PrintWriter(
        new java.io.BufferedWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8)),
        true);
  }

  @Override
  public PrintWriter out() {
    return out;
  }

  @Override
  public PrintWriter err() {
    return err;
  }

  /** Flushes both writers, then sends the exit code. */
  void exit(int code) throws IOException {
    out.flush();
    err.flush();
    synchronized (lock) {
      Frames.writeExit(socket, code);
    }
  }
}
