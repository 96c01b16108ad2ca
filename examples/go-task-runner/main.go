// A task runner in Go, written against the client generated from the execlog contract: it checks
// that its dependencies have succeeded, does its work, and records the run with what it read and
// wrote. It connects as every execlog client does: EXECLOG_SERVER, and for a secured server
// EXECLOG_TLS_CA (the CA that signed the server's certificate) and EXECLOG_TOKEN (a bearer token).
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"os"
	"time"

	execlogv1 "github.com/execlog/execlog/gen/go/execlog/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"
)

// bearer sends the token with every call.
type bearer string

func (t bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(t)}, nil
}

func (bearer) RequireTransportSecurity() bool { return true }

func dial() (*grpc.ClientConn, error) {
	server := os.Getenv("EXECLOG_SERVER")
	if server == "" {
		server = "localhost:50051"
	}
	opts := []grpc.DialOption{grpc.WithInsecure()} // Debian 12 ships grpc-go 1.33, before credentials/insecure
	if caFile := os.Getenv("EXECLOG_TLS_CA"); caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
		}
		config := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		if name := os.Getenv("EXECLOG_TLS_AUTHORITY"); name != "" {
			config.ServerName = name
		}
		opts = []grpc.DialOption{grpc.WithTransportCredentials(credentials.NewTLS(config))}
		if token := os.Getenv("EXECLOG_TOKEN"); token != "" {
			opts = append(opts, grpc.WithPerRPCCredentials(bearer(token)))
		}
	}
	return grpc.Dial(server, opts...)
}

// reason is the stable reason of an execlog error (google.rpc.ErrorInfo), or "".
func reason(err error) string {
	for _, d := range status.Convert(err).Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info.GetReason()
		}
	}
	return ""
}

func main() {
	task := flag.String("task", "t_go", "task id of this runner")
	taskType := flag.String("type", "profiling", "task type")
	dependsOn := flag.String("depends-on", "", "a task that must have succeeded first")
	output := flag.String("output", "DATA/processed/go/result.csv", "the file this task writes")
	flag.Parse()

	conn, err := dial()
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-task-runner:", err)
		os.Exit(1)
	}
	defer conn.Close()
	log := execlogv1.NewExecutionLogServiceClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if *dependsOn != "" {
		deps, err := log.CheckDependencies(ctx, &execlogv1.CheckDependenciesRequest{TaskIds: []string{*dependsOn}})
		if err != nil {
			fmt.Fprintf(os.Stderr, "go-task-runner: dependency check failed (%s): %v\n", reason(err), err)
			os.Exit(1)
		}
		if !deps.GetSatisfied() {
			fmt.Fprintf(os.Stderr, "go-task-runner: %s is not satisfied: %s\n", *dependsOn,
				deps.GetDependencies()[0].GetMessage())
			os.Exit(3)
		}
	}

	started := time.Now()
	var work error // the task's own work goes here; this one always succeeds
	run := &execlogv1.Execution{
		TaskId:      *task,
		TaskType:    *taskType,
		Success:     work == nil,
		Duration:    durationpb.New(time.Since(started)),
		ReportPath:  "DATA/reports/" + *task + "_report.json",
		OutputFiles: []*execlogv1.OutputFile{{Path: *output, Type: "csv", Description: "written by the Go runner"}},
	}
	if *dependsOn != "" {
		run.InputFiles = []*execlogv1.InputFile{{Name: *dependsOn, Path: "DATA/processed/" + *dependsOn + "/output.csv"}}
	}
	recorded, err := log.RecordExecution(ctx, &execlogv1.RecordExecutionRequest{Execution: run})
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-task-runner: record failed (%s): %v\n", reason(err), err)
		os.Exit(1)
	}
	fmt.Println(recorded.GetExecution().GetRunId())

	_, err = log.GetExecution(ctx, &execlogv1.GetExecutionRequest{RunId: "00000000-0000-0000-0000-000000000000"})
	fmt.Fprintf(os.Stderr, "go-task-runner: an unknown run is %s (%s)\n", status.Code(err), reason(err))
}
