package dev.execlog.server.json;

/** Something wrong in a file that was still readable. {@code runId} and {@code taskId} may be empty. */
public record LoadProblem(String runId, String taskId, String field, String message) {}
