package dev.execlog.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.execlog.server.grpc.StatusMapper;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.security.CallerAddress;
import dev.execlog.v1.WatchExecutionsRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Answers the HTTP/JSON API by calling the contract's methods: the URL's path variables, query
 * parameters and JSON body become the request message (through the protobuf JSON mapping, so
 * {@code task_id} and {@code taskId} both work, timestamps are RFC 3339 and enums their names), the
 * call goes to the server's own service in-process with the caller's {@code Authorization} header,
 * so authentication, roles, validation, audit and error reasons are exactly gRPC's.
 */
final class JsonTranscoder implements HttpHandler {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
  /** One message on one line: JSON lines and server-sent events. */
  static final JsonFormat.Printer LINE = PRINTER.omittingInsignificantWhitespace();
  /** Long operations (validate, export) get gRPC clients' long deadline. */
  private static final Duration LONG_DEADLINE = Duration.ofHours(1);

  private final Channel service;
  private final ChangeEvents events;
  private final List<HttpRoute> routes;
  private final long maxBodyBytes;
  private final Duration deadline;

  /**
   * @param service a channel to the server's own service, with its interceptors
   * @param maxBodyBytes the largest request body taken
   * @param deadline the deadline of each call
   */
  JsonTranscoder(Channel service, List<HttpRoute> routes, long maxBodyBytes, Duration deadline, ChangeEvents events) {
    this.service = service;
    this.events = events;
    this.routes = routes;
    this.maxBodyBytes = maxBodyBytes;
    this.deadline = deadline;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    boolean cutOff = false;
    try {
      String path = exchange.getRequestURI().getRawPath();
      HttpRoute route = null;
      Map<String, String> variables = null;
      boolean pathKnown = false;
      for (HttpRoute r : routes) {
        Map<String, String> v = r.match(path);
        if (v != null) {
          pathKnown = true;
          if (r.verb().equals(exchange.getRequestMethod())) {
            route = r;
            variables = v;
            break;
          }
        }
      }
      if (route == null) {
        fail(exchange, pathKnown ? 405 : 404, pathKnown ? Status.Code.UNIMPLEMENTED : Status.Code.NOT_FOUND, pathKnown
            ? exchange.getRequestMethod() + " is not a method of " + path
            : "no resource " + path + "; the API's resources are listed in the README");
        return;
      }
      try {
        Message request = request(route, variables, exchange);
        Channel channel = callerChannel(exchange);
        if (route.answer() == HttpRoute.Answer.EVENTS) {
          events.stream(exchange, (WatchExecutionsRequest) request, channel);
        } else if (route.answer() == HttpRoute.Answer.MESSAGE) {
          Message response = ClientCalls.blockingUnaryCall(channel, method(route), options(deadline), request);
          send(exchange, route.verb().equals("POST") && route.body() != null && !route.body().equals("*") ? 201 : 200,
              PRINTER.print(response) + "\n");
        } else {
          stream(exchange, route, ClientCalls.blockingServerStreamingCall(channel, method(route),
              options(LONG_DEADLINE), request));
        }
      } catch (StatusRuntimeException e) {
        sendError(exchange, e);
      }
    } catch (CutOff e) {
      cutOff = true;
      throw e;
    } finally {
      if (!cutOff) {
        exchange.close();
      }
    }
  }

  /** The request message: path variables, then query parameters, then the body. */
  private Message request(HttpRoute route, Map<String, String> variables, HttpExchange exchange) throws IOException {
    Descriptor type = prototype(route.method()).getDescriptorForType();
    ObjectNode json = JSON.createObjectNode();
    variables.forEach((field, value) -> json.put(field, decode(value)));
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        setParameter(json, type, name, value);
      }
    }
    if (route.body() != null) {
      JsonNode body = body(exchange);
      if (route.body().equals("*")) {
        if (body.isObject()) {
          ((ObjectNode) body).fields().forEachRemaining(e -> json.set(e.getKey(), e.getValue()));
        } else {
          throw invalid("body", "the body must be a JSON object");
        }
      } else {
        json.set(route.body(), body);
      }
    }
    Message.Builder builder = prototype(route.method()).newBuilderForType();
    try {
      PARSER.merge(JSON.writeValueAsString(json), builder);
    } catch (InvalidProtocolBufferException e) {
      throw invalid(fieldNamedIn(e.getMessage()), "cannot read the request: " + e.getMessage());
    }
    return builder.build();
  }

  /** A query parameter into the request's JSON: {@code a.b=x} nests, a repeated field collects. */
  private static void setParameter(ObjectNode json, Descriptor type, String name, String value) {
    String[] parts = name.split("\\.");
    ObjectNode node = json;
    Descriptor d = type;
    for (int i = 0; i < parts.length - 1; i++) {
      FieldDescriptor f = field(d, parts[i], name);
      if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE || f.isRepeated()) {
        throw invalid(name, "the query parameter " + name + " does not name a field of the request");
      }
      node = node.has(parts[i]) && node.get(parts[i]).isObject() ? (ObjectNode) node.get(parts[i])
          : node.putObject(parts[i]);
      d = f.getMessageType();
    }
    String last = parts[parts.length - 1];
    FieldDescriptor f = field(d, last, name);
    if (f.isRepeated()) {
      JsonNode existing = node.get(last);
      ArrayNode array = existing instanceof ArrayNode a ? a : node.putArray(last);
      array.add(value);
    } else {
      node.put(last, value);
    }
  }

  private static FieldDescriptor field(Descriptor type, String name, String parameter) {
    FieldDescriptor f = type.findFieldByName(name);
    if (f == null) {
      f = type.getFields().stream().filter(x -> x.getJsonName().equals(name)).findFirst().orElse(null);
    }
    if (f == null) {
      throw invalid(parameter, "the query parameter " + parameter + " does not name a field of the request");
    }
    return f;
  }

  private JsonNode body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (bytes.length > maxBodyBytes) {
        throw StatusMapper.status(Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD,
            Map.of("field", "body"), "the request body is larger than " + maxBodyBytes + " bytes");
      }
      if (bytes.length == 0) {
        throw invalid("body", "this request needs a JSON body");
      }
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw invalid("body", "the body is not JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * A server stream's answer. The first message is awaited before the status line, so a call
   * refused at once (no token, a bad field) is still an HTTP error; a failure later can only end
   * the body: a last {"error": ...} line for JSON lines, a cut-off transfer for a file.
   */
  private static void stream(HttpExchange exchange, HttpRoute route, Iterator<Message> messages) throws IOException {
    boolean any = messages.hasNext();
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("Content-Type", route.answer() == HttpRoute.Answer.NDJSON
        ? "application/x-ndjson; charset=utf-8" : "application/octet-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    try {
      while (any) {
        Message m = messages.next();
        if (route.answer() == HttpRoute.Answer.NDJSON) {
          out.write((LINE.print(m) + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        } else {
          bytesAt(m, route.bytesField()).writeTo(out);
        }
        any = messages.hasNext();
      }
    } catch (StatusRuntimeException e) {
      if (route.answer() != HttpRoute.Answer.NDJSON) {
        throw new CutOff(e);
      }
      out.write((HttpErrors.line(e) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    out.close();
  }

  /**
   * A file's transfer that failed after it began: thrown without closing the exchange, so the
   * server drops the connection before the end of the chunked body and the client sees the file is
   * incomplete instead of a short file that looks whole.
   */
  private static final class CutOff extends IOException {
    CutOff(StatusRuntimeException cause) {
      super("the stream failed after its first bytes: " + cause.getStatus(), cause);
    }
  }

  /** The bytes at {@code path} ("chunk.data") of a message, empty when that part is not set. */
  private static ByteString bytesAt(Message message, String path) {
    Message m = message;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      FieldDescriptor f = m.getDescriptorForType().findFieldByName(parts[i]);
      if (!m.hasField(f)) {
        return ByteString.EMPTY;
      }
      m = (Message) m.getField(f);
    }
    return (ByteString) m.getField(m.getDescriptorForType().findFieldByName(parts[parts.length - 1]));
  }

  /** The service channel, carrying the caller's token and address on every call. */
  private Channel callerChannel(HttpExchange exchange) {
    Metadata headers = new Metadata();
    headers.put(CallerAddress.HTTP_PEER,
        exchange.getRemoteAddress().getAddress().getHostAddress() + ":" + exchange.getRemoteAddress().getPort());
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null) {
      headers.put(AUTHORIZATION, authorization);
    }
    return ClientInterceptors.intercept(service, MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @SuppressWarnings("unchecked")
  private static MethodDescriptor<Message, Message> method(HttpRoute route) {
    return (MethodDescriptor<Message, Message>) route.method();
  }

  private static CallOptions options(Duration deadline) {
    return CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Message prototype(MethodDescriptor<?, ?> method) {
    return (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
  }

  /** The field a JsonFormat message names ("Cannot find field: x in message ..."), else "request". */
  private static String fieldNamedIn(String message) {
    if (message != null && message.startsWith("Cannot find field: ")) {
      return message.substring("Cannot find field: ".length()).split(" ")[0];
    }
    return "request";
  }

  private static StatusRuntimeException invalid(String field, String message) {
    return StatusMapper.status(Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD, Map.of("field", field),
        message);
  }

  /** A URL outside the API: not a call, so no contract reason; the body keeps the error shape. */
  private static void fail(HttpExchange exchange, int httpCode, Status.Code code, String message) throws IOException {
    send(exchange, httpCode, HttpErrors.body(code.toStatus().withDescription(message).asRuntimeException()));
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /** A failed call as an HTTP error, its status code chosen from the gRPC code. */
  static void sendError(HttpExchange exchange, StatusRuntimeException failure) throws IOException {
    send(exchange, HttpErrors.httpCode(failure.getStatus().getCode()), HttpErrors.body(failure));
  }

  static void send(HttpExchange exchange, int code, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
