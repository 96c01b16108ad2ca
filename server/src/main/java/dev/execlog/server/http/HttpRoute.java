package dev.execlog.server.http;

import io.grpc.MethodDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One resource URL of the HTTP/JSON API and the gRPC method it stands for, in the manner of a
 * {@code google.api.http} rule: {@code GET /v1/executions/{run_id}} calls GetExecution with
 * {@code run_id} taken from the path, the query parameters filling other request fields, and, when
 * {@code body} is set, the JSON body filling that field ({@code "*"}: the whole request).
 *
 * @param verb the HTTP method
 * @param template the path, with {@code {field}} segments that name request fields
 * @param method the gRPC method called
 * @param body the request field the JSON body fills, {@code "*"} for the whole request, or null for none
 * @param answer how the method's answer goes out
 * @param bytesField for {@link Answer#BYTES}: the path of the bytes field whose contents make the body
 */
record HttpRoute(String verb, String template, MethodDescriptor<?, ?> method, String body, Answer answer,
    String bytesField) {

  /** How the answer of a route is written. */
  enum Answer {
    /** One message as JSON (unary methods). */
    MESSAGE,
    /** Each message of a server stream as one line of JSON (application/x-ndjson), flushed as it comes. */
    NDJSON,
    /** The bytes a server stream carries in {@code bytesField}, one after another: a file to save. */
    BYTES,
    /** The change stream as server-sent events (see {@link ChangeEvents}). */
    EVENTS
  }

  /** The watch as server-sent events. */
  static HttpRoute events(String verb, String template, MethodDescriptor<?, ?> method) {
    return new HttpRoute(verb, template, method, null, Answer.EVENTS, null);
  }

  /** A unary method: one request, one JSON answer. */
  static HttpRoute unary(String verb, String template, MethodDescriptor<?, ?> method, String body) {
    return new HttpRoute(verb, template, method, body, Answer.MESSAGE, null);
  }

  /** A server-streaming method whose messages (progress, then the result) go out as JSON lines. */
  static HttpRoute lines(String verb, String template, MethodDescriptor<?, ?> method, String body) {
    return new HttpRoute(verb, template, method, body, Answer.NDJSON, null);
  }

  /** A server-streaming method whose {@code bytesField} contents make a file. */
  static HttpRoute bytes(String verb, String template, MethodDescriptor<?, ?> method, String bytesField) {
    return new HttpRoute(verb, template, method, null, Answer.BYTES, bytesField);
  }

  /** The request fields the path names, by segment. */
  private List<String> segments() {
    return List.of(template.substring(1).split("/"));
  }

  /** The path's variables when {@code path} matches this route's template, else null. */
  Map<String, String> match(String path) {
    List<String> want = segments();
    List<String> got = new ArrayList<>(List.of(path.substring(1).split("/", -1)));
    if (want.size() != got.size()) {
      return null;
    }
    Map<String, String> variables = new LinkedHashMap<>();
    for (int i = 0; i < want.size(); i++) {
      String w = want.get(i);
      if (w.startsWith("{") && w.endsWith("}")) {
        if (got.get(i).isEmpty()) {
          return null;
        }
        variables.put(w.substring(1, w.length() - 1), got.get(i));
      } else if (!w.equals(got.get(i))) {
        return null;
      }
    }
    return variables;
  }
}
