package org.bulwark.api.fs;

/** One name in a directory listing ({@code .} and {@code ..} are never listed). */
public record DirEntry(String name, FileType type, long ino) {}
