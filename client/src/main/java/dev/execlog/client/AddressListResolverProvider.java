package dev.execlog.client;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Resolves a fixed list of servers ({@code host1:port,host2:port}) for one channel: each entry
 * becomes one address group, so the {@code round_robin} policy keeps one connection per server
 * and a call retried after UNAVAILABLE may go to another one. Host names are looked up when the
 * channel starts and again whenever gRPC asks for a refresh (a connection failed), so a server
 * that moves to a new IP address is found again. A host that cannot be looked up is left out
 * while the others resolve; when none does, calls fail with UNAVAILABLE.
 *
 * <p>Each group carries its own {@code host:port} as authority unless the channel has an
 * authority override ({@code EXECLOG_TLS_AUTHORITY}): TLS then checks each server's certificate
 * under the name the user wrote for it.
 *
 * <p>One provider serves one channel (it holds that channel's list); it is registered in a
 * registry of its own, never in the process-wide one.
 */
final class AddressListResolverProvider extends NameResolverProvider {

  static final String SCHEME = "execlog-list";

  private final List<ServerAddresses.HostPort> addresses;
  private final boolean authorityPerServer;

  AddressListResolverProvider(List<ServerAddresses.HostPort> addresses, boolean authorityPerServer) {
    this.addresses = List.copyOf(addresses);
    this.authorityPerServer = authorityPerServer;
  }

  /** A target naming this provider's list (the list itself travels in the provider). */
  String target() {
    return SCHEME + ":///servers";
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    return new Resolver(args);
  }

  private final class Resolver extends NameResolver {
    private final SynchronizationContext syncContext;
    private final Executor offload;
    private Listener2 listener;
    private boolean resolving;
    private boolean shutdown;

    Resolver(Args args) {
      this.syncContext = args.getSynchronizationContext();
      Executor executor = args.getOffloadExecutor();
      this.offload = executor != null ? executor : command -> {
        Thread t = new Thread(command, "execlog-resolve");
        t.setDaemon(true);
        t.start();
      };
    }

    @Override
    public String getServiceAuthority() {
      return addresses.get(0).authority();
    }

    @Override
    public void start(Listener2 newListener) {
      this.listener = newListener;
      resolve();
    }

    @Override
    public void refresh() {
      resolve();
    }

    /** Called in the synchronization context; looks the names up on the offload executor. */
    private void resolve() {
      if (resolving || shutdown) {
        return;
      }
      resolving = true;
      offload.execute(() -> {
        List<EquivalentAddressGroup> groups = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (ServerAddresses.HostPort hp : addresses) {
          try {
            List<SocketAddress> sockets = new ArrayList<>();
            for (InetAddress a : InetAddress.getAllByName(hp.host())) {
              sockets.add(new InetSocketAddress(a, hp.port()));
            }
            Attributes attributes = authorityPerServer
                ? Attributes.newBuilder().set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE, hp.authority()).build()
                : Attributes.EMPTY;
            groups.add(new EquivalentAddressGroup(sockets, attributes));
          } catch (UnknownHostException e) {
            failures.add(hp.authority());
          }
        }
        syncContext.execute(() -> {
          resolving = false;
          if (shutdown) {
            return;
          }
          if (groups.isEmpty()) {
            listener.onError(Status.UNAVAILABLE.withDescription("cannot resolve any of the servers " + failures));
          } else {
            listener.onResult2(ResolutionResult.newBuilder().setAddresses(groups).setAttributes(Attributes.EMPTY)
                .build());
          }
        });
      });
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }
  }
}
