package org.bulwark.shell.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one request (see {@link Frames}) from bytes as they arrive, never blocking and never
 * holding more than {@code maxBytes}: a request is refused as soon as the counts and lengths it
 * declares add up to more, before the bytes they announce are read or any buffer is allocated for
 * them. Used by the selector thread of {@link RequestReader}, so it does no I/O of its own.
 */
final class RequestDecoder {

  /** Where decoding stands after the bytes fed so far. */
  enum Status {
    NEED_MORE,
    COMPLETE,
    REFUSED
  }

  private enum Phase {
    MAGIC,
    COUNT,
    LENGTH,
    STRING,
    DONE
  }

  private final int maxBytes;
  private final List<String> args = new ArrayList<>();
  private final List<String> environment = new ArrayList<>();
  private final byte[] field = new byte[4];
  private Phase phase = Phase.MAGIC;
  private int fieldFill;
  private byte[] string;
  private int stringFill;
  private List<String> list = args;
  private long remaining;
  private long consumed;
  private String refusal;

  RequestDecoder(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Consumes what it needs of {@code in} (nothing past the end of the request). */
  Status feed(ByteBuffer in) {
    while (in.hasRemaining() && status() == Status.NEED_MORE) {
      int n = Math.min(needed(), in.remaining());
      if (phase == Phase.STRING) {
        in.get(string, stringFill, n);
        stringFill += n;
      } else {
        in.get(field, fieldFill, n);
        fieldFill += n;
      }
      consumed += n;
      if (needed() == 0) {
        step();
      }
    }
    return status();
  }

  Status status() {
    if (refusal != null) {
      return Status.REFUSED;
    }
    return phase == Phase.DONE ? Status.COMPLETE : Status.NEED_MORE;
  }

  /** How many bytes the field being read still needs; a blocking reader reads no more. */
  int needed() {
    return switch (phase) {
      case MAGIC, COUNT, LENGTH -> refusal == null ? field.length - fieldFill : 0;
      case STRING -> string.length - stringFill;
      case DONE -> 0;
    };
  }

  /** The decoded request, once {@link Status#COMPLETE}. */
  Frames.Request request() {
    if (status() != Status.COMPLETE) {
      throw new IllegalStateException("request not complete: " + status());
    }
    return new Frames.Request(List.copyOf(args), List.copyOf(environment));
  }

  /** Why the request was refused, for the client: {@code request too large (…)}. */
  String refusal() {
    return refusal;
  }

  private void step() {
    switch (phase) {
      case MAGIC -> {
        fieldFill = 0;
        for (int i = 0; i < Frames.MAGIC.length; i++) {
          if (field[i] != Frames.MAGIC[i]) {
            refusal = "not a safekit request (bad magic)";
            return;
          }
        }
        phase = Phase.COUNT;
      }
      case COUNT -> {
        fieldFill = 0;
        remaining = unsigned();
        if (remaining > Frames.MAX_STRINGS) {
          refusal = "too many arguments (" + remaining + ", at most " + Frames.MAX_STRINGS + ")";
          return;
        }
        // each string still to come takes at least its 4-byte length
        if (checkSize(consumed + 4 * remaining + countsToCome())) {
          nextString();
        }
      }
      case LENGTH -> {
        fieldFill = 0;
        long length = unsigned();
        if (checkSize(consumed + length + 4 * (remaining - 1) + countsToCome())) {
          string = new byte[(int) length];
          stringFill = 0;
          phase = Phase.STRING;
          if (length == 0) {
            step();
          }
        }
      }
      case STRING -> {
        list.add(new String(string, StandardCharsets.UTF_8));
        string = null;
        remaining--;
        nextString();
      }
      case DONE -> throw new IllegalStateException("request already complete");
    }
  }

  private void nextString() {
    if (remaining > 0) {
      phase = Phase.LENGTH;
    } else if (list == args) {
      list = environment;
      phase = Phase.COUNT;
    } else {
      phase = Phase.DONE;
    }
  }

  /** The environment's count still to come while reading the arguments. */
  private long countsToCome() {
    return list == args ? 4 : 0;
  }

  private boolean checkSize(long atLeast) {
    if (atLeast > maxBytes) {
      refusal = "request too large (at least " + atLeast + " bytes, at most " + maxBytes + ")";
      return false;
    }
    return true;
  }

  private long unsigned() {
    return Integer.toUnsignedLong(ByteBuffer.wrap(field).getInt());
  }
}
