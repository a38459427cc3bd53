package org.bulwark.api.fs;

/** The process whose system call caused an operation, as the kernel reported it. */
public record Caller(int pid, int uid, int gid) {}
