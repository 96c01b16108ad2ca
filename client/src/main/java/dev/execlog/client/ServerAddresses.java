package dev.execlog.client;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server address as users write it: {@code host:port}, or several separated by commas
 * ({@code host1:50051,host2:50051}) for servers that share one log. Hosts are names, IPv4
 * literals or bracketed IPv6 literals ({@code [::1]:50051}).
 */
final class ServerAddresses {

  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):(\\d{1,5})");

  /** One {@code host:port}; {@code host} without brackets. */
  record HostPort(String host, int port) {
    /** The form of the {@code :authority} header and of TLS name checks: {@code host:port}, IPv6 in brackets. */
    String authority() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  private ServerAddresses() {}

  /** Whether the target lists several servers (a comma-separated list). */
  static boolean isList(String target) {
    return target != null && target.contains(",");
  }

  /**
   * The addresses of a comma-separated list, in order, blanks around each ignored.
   *
   * @throws IllegalArgumentException naming the first entry that is not {@code host:port}
   */
  static List<HostPort> parse(String target) {
    List<HostPort> out = new ArrayList<>();
    for (String part : target.split(",", -1)) {
      String entry = part.strip();
      String why = problem(entry);
      if (why != null) {
        throw new IllegalArgumentException("bad server address '" + entry + "' in '" + target + "': " + why);
      }
      Matcher m = HOST_PORT.matcher(entry);
      if (!m.matches()) {
        throw new IllegalStateException(entry);
      }
      String host = m.group(1);
      if (host.startsWith("[")) {
        host = host.substring(1, host.length() - 1);
      }
      out.add(new HostPort(host, Integer.parseInt(m.group(2))));
    }
    return List.copyOf(out);
  }

  /** Why {@code entry} is not one {@code host:port}, or null when it is. */
  static String problem(String entry) {
    if (entry.isEmpty()) {
      return "an address is empty";
    }
    Matcher m = HOST_PORT.matcher(entry);
    if (!m.matches()) {
      return entry.contains("://") ? "give HOST:PORT without a scheme such as http://"
          : !entry.contains(":") ? "the port is missing" : "expected HOST:PORT";
    }
    int port = Integer.parseInt(m.group(2));
    return port < 1 || port > 65535 ? "the port must be 1 to 65535" : null;
  }
}
