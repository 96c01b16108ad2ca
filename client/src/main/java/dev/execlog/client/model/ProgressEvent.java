package dev.execlog.client.model;

/** Progress of a long operation: the stage and how many of its items are done ({@code total} 0 if unknown). */
public record ProgressEvent(String stage, long done, long total, String message) {}
