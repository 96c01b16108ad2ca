package dev.execlog.server.model;

/** A file a run read: one entry of the spec's {@code input_datasets}. */
public record InputFile(String name, String path) {}
