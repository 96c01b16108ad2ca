package dev.execlog.server.grpc;

import io.grpc.Context;
import java.util.function.Consumer;

/**
 * Where a long operation's result goes when its caller has gone away before it could be sent: a
 * cleanup or an import that committed is a change like any other, and the audit must record it
 * even though no response carried it. The call's interceptors put a receiver into its context.
 */
public final class UndeliveredResults {

  /** The receiver of the current call's undelivered result, if an interceptor set one. */
  public static final Context.Key<Consumer<Object>> RECEIVER = Context.key("execlog.undelivered-result");

  private UndeliveredResults() {}

  static void report(Object result) {
    Consumer<Object> receiver = RECEIVER.get();
    if (receiver != null) {
      receiver.accept(result);
    }
  }
}
