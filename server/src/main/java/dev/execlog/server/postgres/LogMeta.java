package dev.execlog.server.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.server.model.LogMetadata;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;

/**
 * The log file's top-level keys as the database keeps them: {@code log_meta}'s one row and the
 * tasks' extra keys, and when the log last changed (its newest change row).
 */
final class LogMeta {

  private LogMeta() {}

  static LogMetadata read(Connection c) throws SQLException {
    String created;
    String version;
    String extra;
    try (PreparedStatement s = c.prepareStatement("SELECT created_text, version, extra_json FROM log_meta");
         ResultSet r = s.executeQuery()) {
      if (!r.next()) {
        throw new SQLException("log_meta has no row: run `execlog-server migrate` on this database", "55000");
      }
      created = r.getString(1);
      version = r.getString(2);
      extra = r.getString(3);
    }
    Map<String, Map<String, JsonNode>> taskExtras = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT task_id, extra_json FROM tasks WHERE extra_json IS NOT NULL");
         ResultSet r = s.executeQuery()) {
      while (r.next()) {
        taskExtras.put(r.getString(1), JsonText.read(r.getString(2)));
      }
    }
    return new LogMetadata(created, version, JsonText.read(extra), taskExtras);
  }

  /**
   * Writes the top-level keys; the tasks' extra keys go on the tasks rows that exist. A log without
   * {@code timestamp} or {@code version} keeps the database's.
   */
  static void write(Connection c, LogMetadata metadata) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE log_meta SET created_text = coalesce(?, created_text),"
        + " version = coalesce(?, version), extra_json = ?")) {
      s.setString(1, metadata.createdText());
      s.setString(2, metadata.version());
      String extra = JsonText.of(metadata.extraFields());
      if (extra == null) {
        s.setNull(3, Types.VARCHAR);
      } else {
        s.setString(3, extra);
      }
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement("UPDATE tasks SET extra_json = ? WHERE task_id = ?")) {
      for (Map.Entry<String, Map<String, JsonNode>> e : metadata.taskExtraFields().entrySet()) {
        s.setString(1, JsonText.of(e.getValue()));
        s.setString(2, e.getKey());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /** When the log last changed, in microseconds: its newest change, else {@code fallback}. */
  static long lastModifiedMicros(Connection c, long fallback) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT (extract(epoch FROM at) * 1000000)::bigint FROM changes"
        + " ORDER BY change_id DESC LIMIT 1");
         ResultSet r = s.executeQuery()) {
      return r.next() ? r.getLong(1) : fallback;
    }
  }
}
