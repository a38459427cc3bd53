package org.bulwark.rfs.internal;

import static org.bulwark.rfs.internal.MsgCodec.bytes;
import static org.bulwark.rfs.internal.MsgCodec.text;

import io.netty.buffer.ByteBuf;

/** The binary form of a {@link Change}: a kind byte, the directory index, the path, the fields. */
final class ChangeCodec {
  private ChangeCodec() {}

  private static final byte WRITE = 1;
  private static final byte TRUNCATE = 2;
  private static final byte FALLOCATE = 3;
  private static final byte CREATE = 4;
  private static final byte MKNOD = 5;
  private static final byte MKDIR = 6;
  private static final byte SYMLINK = 7;
  private static final byte UNLINK = 8;
  private static final byte RMDIR = 9;
  private static final byte REMOVE_TREE = 10;
  private static final byte RENAME = 11;
  private static final byte LINK = 12;
  private static final byte CHMOD = 13;
  private static final byte CHOWN = 14;
  private static final byte TIMES = 15;
  private static final byte SETXATTR = 16;
  private static final byte RMXATTR = 17;
  private static final byte SYNC = 18;
  private static final byte FLUSH = 19;
  private static final byte VERIFY = 20;
  private static final byte KEEP_XATTRS = 21;

  /**
   * Encodes a change into {@code out}; a {@link Change.Write}'s data, which comes last, only as its
   * length: the caller sends the data buffer itself after {@code out} (no copy).
   */
  static void encode(Change c, ByteBuf out) {
    out.writeByte(kind(c));
    out.writeShort(c.dir());
    text(out, c.path());
    if (c instanceof Change.Write w) {
      out.writeLong(w.offset());
      out.writeLong(w.mtimeNanos());
      out.writeInt(w.length());
    } else if (c instanceof Change.Truncate t) {
      out.writeLong(t.size());
      out.writeLong(t.mtimeNanos());
    } else if (c instanceof Change.Fallocate f) {
      out.writeInt(f.mode());
      out.writeLong(f.offset());
      out.writeLong(f.length());
      out.writeLong(f.mtimeNanos());
    } else if (c instanceof Change.Create cr) {
      out.writeInt(cr.mode());
      out.writeInt(cr.uid());
      out.writeInt(cr.gid());
      out.writeBoolean(cr.truncate());
    } else if (c instanceof Change.Mknod m) {
      out.writeInt(m.mode());
      out.writeLong(m.rdev());
      out.writeInt(m.uid());
      out.writeInt(m.gid());
    } else if (c instanceof Change.Mkdir m) {
      out.writeInt(m.mode());
      out.writeInt(m.uid());
      out.writeInt(m.gid());
    } else if (c instanceof Change.Symlink s) {
      text(out, s.target());
      out.writeInt(s.uid());
      out.writeInt(s.gid());
    } else if (c instanceof Change.Rename r) {
      text(out, r.target());
      out.writeInt(r.flags());
    } else if (c instanceof Change.Link l) {
      text(out, l.target());
    } else if (c instanceof Change.Chmod m) {
      out.writeInt(m.mode());
    } else if (c instanceof Change.Chown o) {
      out.writeInt(o.uid());
      out.writeInt(o.gid());
    } else if (c instanceof Change.Times t) {
      out.writeLong(t.atimeNanos());
      out.writeLong(t.mtimeNanos());
    } else if (c instanceof Change.SetXattr x) {
      text(out, x.name());
      bytes(out, x.value());
      out.writeInt(x.flags());
    } else if (c instanceof Change.RemoveXattr x) {
      text(out, x.name());
    } else if (c instanceof Change.Sync s) {
      out.writeBoolean(s.dataOnly());
    } else if (c instanceof Change.KeepXattrs k) {
      out.writeBoolean(k.acl());
      out.writeInt(k.names().size());
      k.names().forEach(n -> text(out, n));
    } else if (c instanceof Change.Verify v) {
      out.writeByte(v.kind());
      out.writeLong(v.offset());
      out.writeLong(v.length());
      out.writeLong(v.checksum());
    }
  }

  private static byte kind(Change c) {
    if (c instanceof Change.Write) return WRITE;
    if (c instanceof Change.Truncate) return TRUNCATE;
    if (c instanceof Change.Fallocate) return FALLOCATE;
    if (c instanceof Change.Create) return CREATE;
    if (c instanceof Change.Mknod) return MKNOD;
    if (c instanceof Change.Mkdir) return MKDIR;
    if (c instanceof Change.Symlink) return SYMLINK;
    if (c instanceof Change.Unlink) return UNLINK;
    if (c instanceof Change.Rmdir) return RMDIR;
    if (c instanceof Change.RemoveTree) return REMOVE_TREE;
    if (c instanceof Change.Rename) return RENAME;
    if (c instanceof Change.Link) return LINK;
    if (c instanceof Change.Chmod) return CHMOD;
    if (c instanceof Change.Chown) return CHOWN;
    if (c instanceof Change.Times) return TIMES;
    if (c instanceof Change.SetXattr) return SETXATTR;
    if (c instanceof Change.RemoveXattr) return RMXATTR;
    if (c instanceof Change.Sync) return SYNC;
    if (c instanceof Change.Flush) return FLUSH;
    if (c instanceof Change.Verify) return VERIFY;
    if (c instanceof Change.KeepXattrs) return KEEP_XATTRS;
    throw new IllegalArgumentException("unknown change " + c);
  }

  static Change decode(ByteBuf in) throws ProtocolException {
    byte kind = in.readByte();
    if (kind < WRITE || kind > KEEP_XATTRS) {
      throw new ProtocolException("unknown change kind " + kind);
    }
    int dir = in.readUnsignedShort();
    if (dir >= MsgCodec.MAX_DIRS) {
      throw new ProtocolException("directory index " + dir + " out of range");
    }
    String path = text(in, MsgCodec.MAX_TEXT);
    return switch (kind) {
      case WRITE -> write(dir, path, in);
      case TRUNCATE -> new Change.Truncate(dir, path, offset(in), in.readLong());
      case FALLOCATE ->
          new Change.Fallocate(dir, path, in.readInt(), offset(in), offset(in), in.readLong());
      case CREATE ->
          new Change.Create(dir, path, in.readInt(), in.readInt(), in.readInt(), in.readBoolean());
      case MKNOD ->
          new Change.Mknod(dir, path, in.readInt(), in.readLong(), in.readInt(), in.readInt());
      case MKDIR -> new Change.Mkdir(dir, path, in.readInt(), in.readInt(), in.readInt());
      case SYMLINK ->
          new Change.Symlink(dir, path, text(in, MsgCodec.MAX_TEXT), in.readInt(), in.readInt());
      case UNLINK -> new Change.Unlink(dir, path);
      case RMDIR -> new Change.Rmdir(dir, path);
      case REMOVE_TREE -> new Change.RemoveTree(dir, path);
      case RENAME -> new Change.Rename(dir, path, text(in, MsgCodec.MAX_TEXT), in.readInt());
      case LINK -> new Change.Link(dir, path, text(in, MsgCodec.MAX_TEXT));
      case CHMOD -> new Change.Chmod(dir, path, in.readInt());
      case CHOWN -> new Change.Chown(dir, path, in.readInt(), in.readInt());
      case TIMES -> new Change.Times(dir, path, in.readLong(), in.readLong());
      case SETXATTR ->
          new Change.SetXattr(
              dir, path, text(in, MsgCodec.MAX_TEXT), bytes(in, MsgCodec.MAX_XATTR), in.readInt());
      case RMXATTR -> new Change.RemoveXattr(dir, path, text(in, MsgCodec.MAX_TEXT));
      case SYNC -> new Change.Sync(dir, path, in.readBoolean());
      case FLUSH -> new Change.Flush(dir, path);
      case VERIFY -> verify(dir, path, in);
      case KEEP_XATTRS -> keepXattrs(dir, path, in);
      default -> throw new ProtocolException("unknown change kind " + kind);
    };
  }

  /**
   * A write's data is the end of the frame, taken as a slice of it (retained: released once
   * applied), so that the secondary writes it from the received buffer without a copy.
   */
  private static Change.Write write(int dir, String path, ByteBuf in) throws ProtocolException {
    long offset = offset(in);
    long mtime = in.readLong();
    int n = MsgCodec.count(in, MsgCodec.MAX_DATA, "bytes");
    if (in.readableBytes() != n) {
      throw new ProtocolException(
          "a write of " + n + " bytes in a frame with " + in.readableBytes() + " left");
    }
    return new Change.Write(dir, path, offset, in.readRetainedSlice(n), mtime);
  }

  private static Change.KeepXattrs keepXattrs(int dir, String path, ByteBuf in)
      throws ProtocolException {
    boolean acl = in.readBoolean();
    int n = MsgCodec.count(in, MAX_XATTR_NAMES, "attribute names");
    java.util.List<String> names = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add(text(in, MsgCodec.MAX_TEXT));
    }
    return new Change.KeepXattrs(dir, path, names, acl);
  }

  private static final int MAX_XATTR_NAMES = 4096;

  private static Change.Verify verify(int dir, String path, ByteBuf in) throws ProtocolException {
    int kind = in.readByte();
    if (kind < Change.Verify.DATA || kind > Change.Verify.NAMES) {
      throw new ProtocolException("unknown verify kind " + kind);
    }
    long offset = offset(in);
    long length = offset(in);
    if (length > MsgCodec.MAX_DATA) {
      throw new ProtocolException("verify of " + length + " bytes at once");
    }
    return new Change.Verify(dir, path, kind, offset, length, in.readLong());
  }

  private static long offset(ByteBuf in) throws ProtocolException {
    long v = in.readLong();
    if (v < 0) {
      throw new ProtocolException("negative offset or size " + v);
    }
    return v;
  }
}
