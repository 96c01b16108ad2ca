package dev.execlog.client;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverRegistry;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to reach a server: its address, TLS (a CA to trust, a client certificate for mutual TLS, the
 * name to expect in the server's certificate), and a bearer token. {@link #fromEnvironment()} reads
 * the variables the {@code execlog} command line reads, with the same defaults; the command line
 * starts from it and applies its options on top.
 *
 * <pre>{@code
 * ConnectionOptions options = ConnectionOptions.fromEnvironment()   // EXECLOG_SERVER, EXECLOG_TLS_CA, EXECLOG_TOKEN...
 *     .withTarget("logs.internal:50051");                             // an explicit setting wins
 * }</pre>
 *
 * @param target host:port, or several separated by commas ({@code host1:50051,host2:50051}) for
 *     servers that share one log: calls are spread over them (round robin) and a call retried after
 *     UNAVAILABLE may go to another one (see {@link #openChannel()})
 * @param caFile PEM CA certificates to trust; null for plaintext unless a client certificate is given
 * @param certFile PEM client certificate chain for mutual TLS, or null
 * @param keyFile PEM private key of {@code certFile}, or null
 * @param token bearer token sent with every call, or null
 * @param authority the name to expect in the server's certificate when it differs from the host, or null
 */
public record ConnectionOptions(String target, Path caFile, Path certFile, Path keyFile, String token,
    String authority) {

  /** The address used when none is given. */
  public static final String DEFAULT_TARGET = "localhost:50051";

  /** A plaintext connection to {@code target} (host:port, or a comma-separated list), without a token. */
  public static ConnectionOptions plaintext(String target) {
    return new ConnectionOptions(target, null, null, null, null, null);
  }

  /**
   * The settings of this process's environment, as the command line reads them: {@code
   * EXECLOG_SERVER} (default {@value #DEFAULT_TARGET}), {@code EXECLOG_TLS_CA}, {@code
   * EXECLOG_TLS_CERT}, {@code EXECLOG_TLS_KEY}, {@code EXECLOG_TLS_AUTHORITY}, and the token from the
   * file {@code EXECLOG_TOKEN_FILE} names or else from {@code EXECLOG_TOKEN}. TLS is used when a CA
   * or a client certificate is given. Unset and blank variables count as absent.
   *
   * @throws UncheckedIOException when {@code EXECLOG_TOKEN_FILE} names a file that cannot be read
   */
  public static ConnectionOptions fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** {@link #fromEnvironment()} reading the given variables instead of the process's. */
  public static ConnectionOptions fromEnvironment(Map<String, String> env) {
    String target = value(env, "EXECLOG_SERVER");
    ConnectionOptions options = new ConnectionOptions(target == null ? DEFAULT_TARGET : target,
        path(env, "EXECLOG_TLS_CA"), path(env, "EXECLOG_TLS_CERT"), path(env, "EXECLOG_TLS_KEY"),
        value(env, "EXECLOG_TOKEN"), value(env, "EXECLOG_TLS_AUTHORITY"));
    Path tokenFile = path(env, "EXECLOG_TOKEN_FILE");
    return tokenFile == null ? options : options.withTokenFile(tokenFile);
  }

  public ConnectionOptions withTarget(String newTarget) {
    return new ConnectionOptions(newTarget, caFile, certFile, keyFile, token, authority);
  }

  /** Uses TLS, trusting the CA certificates in this PEM file. */
  public ConnectionOptions withCaFile(Path newCaFile) {
    return new ConnectionOptions(target, newCaFile, certFile, keyFile, token, authority);
  }

  /** Presents this client certificate (PEM chain) and key for mutual TLS. */
  public ConnectionOptions withClientCertificate(Path newCertFile, Path newKeyFile) {
    return new ConnectionOptions(target, caFile, newCertFile, newKeyFile, token, authority);
  }

  /** Expects this name in the server's certificate instead of the target's host. */
  public ConnectionOptions withAuthority(String newAuthority) {
    return new ConnectionOptions(target, caFile, certFile, keyFile, token, newAuthority);
  }

  public ConnectionOptions withToken(String newToken) {
    return new ConnectionOptions(target, caFile, certFile, keyFile, blankToNull(newToken), authority);
  }

  /**
   * Sends the token stored in this file (surrounding whitespace dropped).
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public ConnectionOptions withTokenFile(Path tokenFile) {
    try {
      return withToken(Files.readString(tokenFile));
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("cannot read the token file " + tokenFile + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new UncheckedIOException("cannot read the token file " + tokenFile + ": permission denied", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token file " + tokenFile + ": " + e.getMessage(), e);
    }
  }

  public boolean usesTls() {
    return caFile != null || certFile != null;
  }

  /** Says everything but the token, so options can be logged. */
  @Override
  public String toString() {
    return "ConnectionOptions[target=" + target + ", caFile=" + caFile + ", certFile=" + certFile + ", keyFile="
        + keyFile + ", token=" + (token == null ? "none" : "(redacted)") + ", authority=" + authority + "]";
  }

  /**
   * Opens a channel as these options say, with the retry policy and load balancing every execlog
   * client uses: {@code round_robin} over the servers the target names, and UNAVAILABLE retried
   * with exponential backoff on the calls that are safe to repeat (reads, records, tracking and
   * updates; never deletes, cleanups, imports or watches). See the client's README.
   *
   * <p>A comma-separated target names several servers; each host name is looked up when the
   * channel starts and again after a connection fails. TLS checks each server's certificate under
   * the host name written for it, or under {@link #authority()} when one is given. A single
   * address is resolved by gRPC's DNS resolver: a name with several addresses is spread over too.
   *
   * @throws IllegalArgumentException when the target is not {@code host:port[,host:port...]}
   */
  public ManagedChannel openChannel() {
    ManagedChannelBuilder<?> builder;
    if (ServerAddresses.isList(target)) {
      AddressListResolverProvider provider =
          new AddressListResolverProvider(ServerAddresses.parse(target), authority == null);
      NameResolverRegistry registry = new NameResolverRegistry();
      registry.register(provider);
      builder = Grpc.newChannelBuilder(provider.target(), channelCredentials(), registry);
    } else {
      builder = Grpc.newChannelBuilder(target, channelCredentials());
    }
    if (authority != null) {
      builder.overrideAuthority(authority);
    }
    return builder.defaultServiceConfig(ServiceConfig.get())
        .enableRetry()
        .maxRetryAttempts(ServiceConfig.MAX_ATTEMPTS)
        .perRpcBufferLimit(ServiceConfig.PER_RPC_BUFFER_BYTES)
        .build();
  }

  ChannelCredentials channelCredentials() {
    if (!usesTls()) {
      return InsecureChannelCredentials.create();
    }
    try {
      TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
      if (caFile != null) {
        tls.trustManager(caFile.toFile());
      }
      if (certFile != null) {
        if (keyFile == null) {
          throw new IllegalArgumentException("a client certificate needs its key (EXECLOG_TLS_KEY / --tls-key)");
        }
        tls.keyManager(certFile.toFile(), keyFile.toFile());
      }
      return tls.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
    }
  }

  private static String value(Map<String, String> env, String variable) {
    return blankToNull(env.get(variable));
  }

  private static Path path(Map<String, String> env, String variable) {
    String value = value(env, variable);
    return value == null ? null : Path.of(value);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
