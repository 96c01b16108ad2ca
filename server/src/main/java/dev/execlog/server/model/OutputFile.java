package dev.execlog.server.model;

/** A file a run wrote; {@code type} and {@code description} are empty for a bare path. */
public record OutputFile(String path, String type, String description) {}
