package dev.execlog.server.security;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.inprocess.InProcessSocketAddress;
import java.net.SocketAddress;

/**
 * Where a call came from, for the audit trail. A call of the HTTP/JSON gateway arrives in-process,
 * so its transport address says nothing; the gateway names the HTTP client in {@link #HTTP_PEER}.
 * Only in-process calls are believed, as no one outside the server can make one.
 */
public final class CallerAddress {

  /** The HTTP client's address, set by the gateway on the calls it makes. */
  public static final Metadata.Key<String> HTTP_PEER =
      Metadata.Key.of("x-execlog-http-peer", Metadata.ASCII_STRING_MARSHALLER);

  private CallerAddress() {}

  static SocketAddress of(ServerCall<?, ?> call, Metadata headers) {
    SocketAddress transport = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String http = headers.get(HTTP_PEER);
    if (transport instanceof InProcessSocketAddress && http != null) {
      return new HttpClientAddress(http);
    }
    return transport;
  }

  /** An HTTP client, as the gateway saw it. */
  private static final class HttpClientAddress extends SocketAddress {
    private final String address;

    HttpClientAddress(String address) {
      this.address = address;
    }

    @Override
    public String toString() {
      return address + " (HTTP)";
    }
  }
}
