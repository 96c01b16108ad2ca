package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.execlog.client.ExecLogClientException;
import dev.execlog.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How the CLI reads each reason: its exit code, and a hint naming the metadata. The statuses are
 * built here as the server builds them, so this covers the reasons a client cannot provoke
 * (see {@link ErrorReasonWalkTest#NOT_PROVOKED}) as well as the others.
 */
class FailuresTest {

  private record Case(ErrorReason reason, Status.Code code, Map<String, String> metadata, ExitCode exit,
      List<String> inHint) {}

  /** Every reason with its status code and metadata as error_reason.proto lists them. */
  private static final List<Case> CASES = List.of(
      new Case(ErrorReason.INVALID_FIELD, Status.Code.INVALID_ARGUMENT, Map.of("field", "execution.task_id"),
          ExitCode.ERROR, null),
      new Case(ErrorReason.PATH_OUTSIDE_ROOT, Status.Code.INVALID_ARGUMENT,
          Map.of("field", "execution.report_path", "path", "../r.json"), ExitCode.ERROR,
          List.of("'../r.json' is outside the project root")),
      new Case(ErrorReason.INVALID_PAGE_TOKEN, Status.Code.INVALID_ARGUMENT, Map.of("field", "page_token"),
          ExitCode.ERROR, List.of("page token", "first page")),
      new Case(ErrorReason.UNPARSABLE_REQUEST, Status.Code.INVALID_ARGUMENT,
          Map.of("method", "execlog.v1.ExecutionLogService/GetExecution"), ExitCode.ERROR,
          List.of("execlog.v1.ExecutionLogService/GetExecution", "versions")),
      new Case(ErrorReason.RUN_TOO_LARGE, Status.Code.INVALID_ARGUMENT, Map.of("field", "execution", "limit", "1048576"),
          ExitCode.ERROR, List.of("at most 1048576 bytes", "--max-run-bytes")),
      new Case(ErrorReason.RUN_NOT_FOUND, Status.Code.NOT_FOUND, Map.of("field", "run_id", "run_id", "r-1"),
          ExitCode.NOT_FOUND, List.of("no run has id r-1")),
      new Case(ErrorReason.TASK_HAS_NO_RUN, Status.Code.NOT_FOUND, Map.of("field", "task_id", "task_id", "t_9"),
          ExitCode.NOT_FOUND, List.of("task t_9 has no recorded run")),
      new Case(ErrorReason.PRODUCER_NOT_FOUND, Status.Code.NOT_FOUND, Map.of("field", "path", "path", "out/a.csv"),
          ExitCode.NOT_FOUND, List.of("no recorded run lists out/a.csv")),
      new Case(ErrorReason.RUN_ID_TAKEN, Status.Code.ALREADY_EXISTS,
          Map.of("field", "execution.run_id", "run_id", "r-2"), ExitCode.ERROR,
          List.of("run id r-2 belongs to a different run", "--run-id")),
      new Case(ErrorReason.MESSAGE_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED, Map.of("limit", "4194304"),
          ExitCode.ERROR, List.of("at most 4194304 bytes", "--max-message-bytes")),
      new Case(ErrorReason.IMPORT_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED, Map.of("limit", "1024"),
          ExitCode.ERROR, List.of("at most 1024 bytes", "--max-import-bytes")),
      new Case(ErrorReason.RESPONSE_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED,
          Map.of("field", "task_ids", "limit", "3145728"), ExitCode.ERROR, List.of("at most 3145728 bytes")),
      new Case(ErrorReason.DISK_FULL, Status.Code.RESOURCE_EXHAUSTED, Map.of(), ExitCode.ERROR,
          List.of("disk is full", "nothing was changed")),
      new Case(ErrorReason.WATCH_LAGGED, Status.Code.RESOURCE_EXHAUSTED, Map.of("last_sequence", "42"),
          ExitCode.ERROR, List.of("after change #42", "execlog history")),
      new Case(ErrorReason.STORAGE_FAILURE, Status.Code.UNAVAILABLE, Map.of(), ExitCode.UNAVAILABLE,
          List.of("could not read or write its log", "try again later")),
      new Case(ErrorReason.SHUTTING_DOWN, Status.Code.UNAVAILABLE, Map.of(), ExitCode.UNAVAILABLE,
          List.of("host:1 is stopping")),
      new Case(ErrorReason.LOG_IN_USE, Status.Code.FAILED_PRECONDITION, Map.of(), ExitCode.ERROR,
          List.of("took the log's lock", "restart the server")),
      new Case(ErrorReason.MAINTENANCE_RUNNING, Status.Code.FAILED_PRECONDITION, Map.of(), ExitCode.ERROR,
          List.of("another cleanup or import is running", "once that one has finished")),
      new Case(ErrorReason.OPERATION_CANCELLED, Status.Code.CANCELLED, Map.of(), ExitCode.INTERRUPTED, null),
      new Case(ErrorReason.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED, Map.of(), ExitCode.NOT_ALLOWED,
          List.of("EXECLOG_TOKEN", "--token-file")),
      new Case(ErrorReason.ROLE_TOO_LOW, Status.Code.PERMISSION_DENIED, Map.of("role", "reader", "required", "admin"),
          ExitCode.NOT_ALLOWED, List.of("your role is reader, this needs admin")),
      new Case(ErrorReason.INTERNAL, Status.Code.INTERNAL, Map.of(), ExitCode.ERROR, List.of("defect of the server")));

  /** A status as the server sends it, read by the client. */
  private static ExecLogClientException status(Status.Code code, String reason, Map<String, String> metadata,
      String message) {
    return ExecLogClientException.from(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(code.value()).setMessage(message)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain("execlog.dev").setReason(reason).putAllMetadata(metadata)
            .build()))
        .build()));
  }

  @Test
  void everyReason_hasACase() {
    Set<ErrorReason> all = EnumSet.allOf(ErrorReason.class);
    all.removeAll(List.of(ErrorReason.ERROR_REASON_UNSPECIFIED, ErrorReason.UNRECOGNIZED));
    assertEquals(all, CASES.stream().map(Case::reason).collect(Collectors.toSet()));
  }

  @Test
  void everyReason_exitCodeAndHintNamingItsMetadata() {
    for (Case c : CASES) {
      String message = "the server's words for " + c.reason();
      CliFailure f = Failures.from("do it", status(c.code(), c.reason().name(), c.metadata(), message), "host:1");

      assertEquals(c.exit(), f.exitCode(), c.reason().name());
      assertEquals(message, f.getMessage(), "the message as sent: " + c.reason());
      if (c.inHint() == null) {
        assertNull(f.hint(), c.reason().name());
      } else {
        for (String part : c.inHint()) {
          assertTrue(f.hint() != null && f.hint().contains(part), c.reason() + " hint: " + f.hint());
        }
      }
    }
  }

  @Test
  void exitCodesFollowingReasons_areTheCodesTheirStatusesHadBefore() {
    for (Case c : CASES) {
      assertEquals(Failures.exitCode(c.code()), c.exit(), c.reason().name());
    }
  }

  @Test
  void fieldError_messageIsPrintedAsSentWithTheFieldNamedOnce() {
    CliFailure f = Failures.from("record a run of t_1", status(Status.Code.INVALID_ARGUMENT, "INVALID_FIELD",
        Map.of("field", "execution.task_type"), "execution.task_type: must not be empty"), "host:1");

    assertEquals("execution.task_type: must not be empty", f.getMessage());
  }

  @Test
  void reasonNewerThanTheCli_goesByTheStatusCode() {
    CliFailure f = Failures.from("show run r", status(Status.Code.NOT_FOUND, "SOMETHING_NEW", Map.of(), "gone"), "host:1");

    assertEquals(ExitCode.NOT_FOUND, f.exitCode());
    assertTrue(f.hint().contains("execlog history"), f.hint());
  }

  @Test
  void noReason_unavailable_isAnUnreachableServer() {
    CliFailure f = Failures.from("list runs", ExecLogClientException.from(Status.UNAVAILABLE.asRuntimeException()),
        "host:1");

    assertEquals(ExitCode.UNAVAILABLE, f.exitCode());
    assertTrue(f.getMessage().startsWith("cannot reach host:1"), f.getMessage());
    assertTrue(f.hint().contains("is the server running at host:1"), f.hint());
  }

  @Test
  void storageFailure_isNotTakenForAnUnreachableServer() {
    CliFailure f = Failures.from("record", status(Status.Code.UNAVAILABLE, "STORAGE_FAILURE", Map.of(),
        "the log could not be read or written"), "host:1");

    assertEquals("the log could not be read or written", f.getMessage());
    assertTrue(!f.hint().contains("is the server running"), f.hint());
  }

  @Test
  void lagged_namesTheSequenceFromTheMetadata() {
    CliFailure f = Failures.lagged(status(Status.Code.RESOURCE_EXHAUSTED, "WATCH_LAGGED", Map.of("last_sequence", "17"),
        "the watch fell behind"), "execlog history --all --since X");

    assertEquals(ExitCode.ERROR, f.exitCode());
    assertTrue(f.getMessage().contains("dropped after change #17;"), f.getMessage());
    assertTrue(f.hint().contains("'execlog history --all --since X'"), f.hint());
  }

  @Test
  void details_nameCodeReasonFieldAndMetadata() {
    ExecLogClientException e = status(Status.Code.INVALID_ARGUMENT, "PATH_OUTSIDE_ROOT",
        Map.of("path", "../x", "field", "execution.report_path"), "execution.report_path: escapes");

    assertEquals("status INVALID_ARGUMENT, reason PATH_OUTSIDE_ROOT, field execution.report_path,"
        + " metadata {field=execution.report_path, path=../x}", Failures.details(e));
  }
}
