package dev.execlog.server.http;

import dev.execlog.v1.ExecutionLogServiceGrpc;
import java.util.List;

/**
 * The HTTP/JSON API, in one table: each resource URL and the contract's method behind it. The
 * request and response messages are the contract's own, in the protobuf JSON mapping, so nothing
 * here repeats a field; a field added to a request is usable over HTTP at once (as a query
 * parameter, or in the body).
 */
final class HttpRoutes {

  static final List<HttpRoute> ALL = List.of(
      HttpRoute.unary("GET", "/v1/executions", ExecutionLogServiceGrpc.getListExecutionsMethod(), null),
      HttpRoute.unary("POST", "/v1/executions", ExecutionLogServiceGrpc.getRecordExecutionMethod(), "execution"),
      HttpRoute.events("GET", "/v1/executions:watch", ExecutionLogServiceGrpc.getWatchExecutionsMethod()),
      HttpRoute.unary("GET", "/v1/executions/{run_id}", ExecutionLogServiceGrpc.getGetExecutionMethod(), null),
      HttpRoute.unary("DELETE", "/v1/executions/{run_id}", ExecutionLogServiceGrpc.getDeleteExecutionMethod(), null),
      HttpRoute.unary("GET", "/v1/tasks", ExecutionLogServiceGrpc.getListTasksMethod(), null),
      HttpRoute.unary("GET", "/v1/tasks/{task_id}/latest", ExecutionLogServiceGrpc.getGetLatestExecutionMethod(), null),
      HttpRoute.unary("GET", "/v1/tasks:statistics", ExecutionLogServiceGrpc.getGetTaskStatisticsMethod(), null),
      HttpRoute.unary("GET", "/v1/tasks/{task_id}/statistics", ExecutionLogServiceGrpc.getGetTaskStatisticsMethod(),
          null),
      HttpRoute.unary("GET", "/v1/producers", ExecutionLogServiceGrpc.getFindOutputProducerMethod(), null),
      HttpRoute.unary("GET", "/v1/lineage", ExecutionLogServiceGrpc.getGetLineageMethod(), null),
      HttpRoute.unary("POST", "/v1/dependencies:check", ExecutionLogServiceGrpc.getCheckDependenciesMethod(), "*"),
      HttpRoute.unary("GET", "/v1/log", ExecutionLogServiceGrpc.getGetLogInfoMethod(), null),
      HttpRoute.lines("POST", "/v1/log:validate", ExecutionLogServiceGrpc.getValidateLogMethod(), null),
      HttpRoute.bytes("GET", "/v1/log:export", ExecutionLogServiceGrpc.getExportLogMethod(), "chunk.data"));

  private HttpRoutes() {}
}
