package dev.execlog.bench;

import dev.execlog.client.ExecutionLogClient;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Client connections to one server: one channel (one HTTP/2 connection) per simulated client, as
 * separate task processes would have. The inbound message limit is raised above gRPC's 4 MiB
 * default because a cleanup result lists every removed run id (about 40 bytes each).
 */
final class Clients implements AutoCloseable {

  static final int MAX_INBOUND = 512 * 1024 * 1024;

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<ExecutionLogClient> clients = new ArrayList<>();

  Clients(int port, int count, Duration timeout) {
    this(List.of(port), count, timeout);
  }

  /** {@code count} clients spread over the servers on {@code ports}, client i on server i mod n. */
  Clients(List<Integer> ports, int count, Duration timeout) {
    for (int i = 0; i < count; i++) {
      int port = ports.get(i % ports.size());
      ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create())
          .maxInboundMessageSize(MAX_INBOUND).build();
      channels.add(ch);
      clients.add(new ExecutionLogClient(ch, timeout, Duration.ofHours(1)));
    }
  }

  ExecutionLogClient get(int i) {
    return clients.get(i);
  }

  int size() {
    return clients.size();
  }

  @Override
  public void close() {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
    }
    for (ManagedChannel ch : channels) {
      try {
        ch.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
