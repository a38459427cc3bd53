package org.bulwark.shell.internal;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;

public class RequestDecoderTest {
  private static final int MAX = 1024;

  @Test
  public void decodesTheSameWhateverTheChunks() throws IOException {
    byte[] bytes = TestClient.request(List.of("start", "", "héllo"), List.of("USER=root"));
    Frames.Request whole = feed(bytes, bytes.length).request();
    assertEquals(List.of("start", "", "héllo"), whole.args());
    assertEquals(List.of("USER=root"), whole.environment());
    for (int chunk = 1; chunk < 7; chunk++) {
      assertEquals("chunks of " + chunk, whole, feed(bytes, chunk).request());
    }
  }

  @Test
  public void noArgumentsAndNoEnvironment() throws IOException {
    byte[] bytes = TestClient.request(List.of(), List.of());
    assertEquals(new Frames.Request(List.of(), List.of()), feed(bytes, 1).request());
  }

  @Test
  public void aRequestOfExactlyTheBoundIsTakenOneByteMoreIsNot() throws IOException {
    // magic, argument count, one length, the string, environment count: 16 bytes and the string
    byte[] fits = TestClient.request(List.of("x".repeat(MAX - 16)), List.of());
    assertEquals(MAX, fits.length);
    assertEquals(RequestDecoder.Status.COMPLETE, feed(fits, 64).status());
    byte[] over = TestClient.request(List.of("x".repeat(MAX - 15)), List.of());
    RequestDecoder decoder = feed(Arrays.copyOf(over, 12), 64); // up to the declared length
    assertEquals(RequestDecoder.Status.REFUSED, decoder.status());
    assertEquals("request too large (at least 1025 bytes, at most 1024)", decoder.refusal());
  }

  @Test
  public void aClaimIsRefusedBeforeItsBytes() {
    ByteBuffer header = ByteBuffer.allocate(12).put(Frames.MAGIC).putInt(4096).putInt(1 << 20);
    RequestDecoder decoder = new RequestDecoder(MAX);
    assertEquals(RequestDecoder.Status.REFUSED, decoder.feed(header.flip()));
    assertEquals(0, decoder.needed());
  }

  @Test
  public void strangersAndAbsurdCountsAreRefused() {
    RequestDecoder stranger = new RequestDecoder(MAX);
    stranger.feed(ByteBuffer.wrap("GET / HTTP/1.0\r\n".getBytes()));
    assertEquals("not a safekit request (bad magic)", stranger.refusal());
    RequestDecoder counts = new RequestDecoder(1 << 20);
    counts.feed(ByteBuffer.allocate(8).put(Frames.MAGIC).putInt(-1).flip());
    assertEquals("too many arguments (4294967295, at most 4096)", counts.refusal());
  }

  private static RequestDecoder feed(byte[] bytes, int chunk) {
    RequestDecoder decoder = new RequestDecoder(MAX);
    for (int at = 0; at < bytes.length; at += chunk) {
      ByteBuffer in = ByteBuffer.wrap(bytes, at, Math.min(chunk, bytes.length - at));
      decoder.feed(in);
    }
    return decoder;
  }
}
