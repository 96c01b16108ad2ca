package dev.execlog.server.security;

import dev.execlog.v1.CleanupExecutionsResponse;
import dev.execlog.v1.DeleteExecutionResponse;
import dev.execlog.v1.ImportLogResponse;
import dev.execlog.v1.RecordExecutionResponse;
import dev.execlog.v1.TrackInputFilesResponse;
import dev.execlog.v1.TrackOutputFilesResponse;
import dev.execlog.v1.UpdateExecutionResponse;
import dev.execlog.server.grpc.UndeliveredResults;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;

/**
 * Audits the calls that got past {@link AuthInterceptor}: one {@link AuditTrail} line for every
 * change that succeeded, with who made it (the principal's name, never a token), from where, and
 * which runs changed, and one for every change that failed. A cleanup or import that committed after
 * its caller went away is audited too, from the result it could not send. Refused calls never get
 * here; the AuthInterceptor audits those.
 */
public final class AuditInterceptor implements ServerInterceptor {

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    SocketAddress peer = CallerAddress.of(call, headers);
    Principal who = Principal.current();
    Context context = Context.current().withValue(UndeliveredResults.RECEIVER, result -> {
      String what = describe(result);
      if (what != null) {
        AuditTrail.changedUntold(who, peer, method, what);
      }
    });
    return Contexts.interceptCall(context, new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(R message) {
        String what = describe(message);
        if (what != null) {
          AuditTrail.changed(who, peer, method, what);
        }
        super.sendMessage(message);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        if (!status.isOk() && isChange(method)) {
          AuditTrail.failed(who, peer, method, status.getCode());
        }
        super.close(status, trailers);
      }
    }, headers, next);
  }

  private static boolean isChange(String method) {
    return switch (method) {
      case "RecordExecution", "TrackInputFiles", "TrackOutputFiles", "UpdateExecution", "DeleteExecution",
          "CleanupExecutions", "ImportLog" -> true;
      default -> false;
    };
  }

  /** What a response says changed, or null when it is not the answer to a change. */
  static String describe(Object message) {
    if (message instanceof RecordExecutionResponse r) {
      return (r.getAlreadyRecorded() ? "retry of run " : "recorded run ") + r.getExecution().getRunId()
          + " task " + r.getExecution().getTaskId();
    }
    if (message instanceof UpdateExecutionResponse r) {
      return "updated run " + r.getExecution().getRunId();
    }
    if (message instanceof TrackInputFilesResponse r) {
      return "added inputs to run " + r.getExecution().getRunId();
    }
    if (message instanceof TrackOutputFilesResponse r) {
      return "added outputs to run " + r.getExecution().getRunId();
    }
    if (message instanceof DeleteExecutionResponse r) {
      return "removed run " + r.getExecution().getRunId();
    }
    if (message instanceof CleanupExecutionsResponse r && r.hasResult() && !r.getResult().getDryRun()) {
      return "cleanup removed " + r.getResult().getRemovedCount() + " runs " + r.getResult().getRemovedRunIdsList();
    }
    if (message instanceof ImportLogResponse r && r.hasResult() && !r.getResult().getDryRun()) {
      return "import added " + r.getResult().getImportedCount() + " runs, log now holds "
          + r.getResult().getExecutionCount();
    }
    return null;
  }
}
