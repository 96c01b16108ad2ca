package dev.execlog.client.model;

/** A file a run read: a named input dataset. */
public record InputFile(String name, String path) {}
