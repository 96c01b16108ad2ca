package dev.execlog.client.model;

/** What an export sent: runs, bytes, and the SHA-256 of the bytes (lowercase hex). */
public record ExportResult(long executionCount, long sizeBytes, String sha256) {}
