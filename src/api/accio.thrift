/*
 * AgentService: the agent's API over Thrift (framed transport, binary protocol, TCP).
 * The domain types it carries live in src/core; src/api/mapping/ converts both ways.
 * After an edit, regenerate the committed code with `bash scripts/gen-thrift.sh`.
 *
 * Conventions:
 * - One request and one response struct per call, even when empty, so that a field can be added
 *   to either side later without changing the method's signature.
 * - Fields without a qualifier are always set by the sender; `optional` fields may be absent, and
 *   absent is different from empty (UpdateRunRequest.tags: absent = unchanged, [] = cleared).
 * - Data types (`float`, `list(integer)`, `map(string, dataset)`) travel in their text form, as
 *   written in definitions (src/core/types.ts formatType/parseType).
 * - VALUES travel as their canonical JSON text (src/core/canonical.ts) in string fields, named
 *   `...Json`. A value is a recursive union (booleans, numbers, strings, dataset references, lists
 *   and maps of values) that Thrift cannot express directly without a tree of wrapper structs;
 *   canonical JSON is one uniform encoding for every kind, lossless for the JSON-friendly
 *   representation the core uses (durations are integer ms, timestamps ISO-8601 text, datasets
 *   {uri, digest}), and it is already the form hashes are taken over.
 * - Timestamps (`...AtMs`) are i64 milliseconds since the Unix epoch.
 * - Enum values are sent as numbers: never renumber them, only add.
 */

namespace js accio

// ---------------------------------------------------------------------------------------------
// Errors

/** One problem in a definition, at a structured path such as ["graph", "Train", "inputs", "data"]. */
struct ValidationIssue {
  1: list<string> path
  2: string message
}

/** The definition (workflow, run) is invalid; carries every error, not only the first. */
exception InvalidDefinition {
  1: list<ValidationIssue> errors
  2: list<ValidationIssue> warnings
  3: string message
  /** What a person can do next. */
  4: optional list<string> actions
}

/** A named object does not exist. `kind` is `run`, `workflow`, `operator`, `task`, ... */
exception NotFound {
  1: string kind
  2: string id
  3: string message
  4: optional list<string> actions
}

/** An executor call named a task the agent does not know, or presented the wrong token. */
exception InvalidTask {
  1: string taskId
  2: string message
  3: optional list<string> actions
}

/**
 * Any other failure. `code` is a stable error code of src/core/errors.ts (CONFLICT, UNAVAILABLE,
 * INTERNAL, ...); `retryable` says whether the same call may succeed later. An unexpected error is
 * INTERNAL with a generic message: details stay in the agent's log.
 */
exception ServerError {
  1: string code
  2: string message
  3: bool retryable
  4: optional list<string> actions
}

// ---------------------------------------------------------------------------------------------
// Operators

struct Resources {
  /** Cores, may be fractional. */
  1: double cpu
  2: i32 memoryMb
  3: i32 diskMb
}

struct PortDef {
  1: string name
  /** Text form of the data type. */
  2: string type
  3: optional string help
  /** Canonical JSON of the default value. */
  4: optional string defaultJson
  /** May stay unbound with no default. */
  5: bool isOptional
}

struct OperatorDef {
  1: string name
  2: string version
  3: string category
  4: string help
  5: optional string description
  6: list<PortDef> inputs
  7: list<PortDef> outputs
  8: Resources resources
  9: bool unstable
  10: optional string deprecation
}

// ---------------------------------------------------------------------------------------------
// Workflows

struct NodeOutputRef {
  1: string node
  2: string port
}

/** What an input port is bound to: exactly one field is set. */
union InputBinding {
  /** A constant, as canonical JSON. */
  1: string valueJson
  2: NodeOutputRef reference
  /** The name of a workflow param. */
  3: string param
}

struct NodeSpec {
  1: string name
  2: string op
  3: map<string, InputBinding> inputs
}

struct ParamSpec {
  1: string name
  /** Text form of the data type. */
  2: string type
  3: optional string defaultJson
  4: optional string help
}

/** A workflow as written (parsed and validated), before it is stored. */
struct WorkflowSpec {
  1: string id
  2: optional string name
  3: optional string owner
  4: list<ParamSpec> params
  5: list<NodeSpec> graph
}

/** A stored version of a workflow: the spec's fields plus version, creation time and activity. */
struct Workflow {
  1: string id
  2: optional string name
  3: optional string owner
  4: list<ParamSpec> params
  5: list<NodeSpec> graph
  6: string version
  7: i64 createdAtMs
  8: bool active
}

// ---------------------------------------------------------------------------------------------
// Run definitions

struct WorkflowSelector {
  1: string id
  /** The active version when absent. */
  2: optional string version
}

/** Raw values as written (not yet checked against the param's type), each as canonical JSON. */
struct RangeExploration {
  1: string fromJson
  2: string toJson
  3: string stepJson
  /** Log base of a log-space range: `10`, `2` or `e`; linear when absent. */
  4: optional string log
}

/** One raw value. */
struct SingleExploration {
  /** Canonical JSON. */
  1: string valueJson
  /** Typed on a command line (`key=value`): validation reads it as text. @default false */
  2: optional bool text
}

/** How a run explores one param: exactly one field is set. */
union Exploration {
  1: SingleExploration single
  /** Several raw values, each as canonical JSON. */
  2: list<string> valuesJson
  3: RangeExploration range
}

struct RunSpec {
  1: WorkflowSelector workflow
  2: optional string name
  3: optional string notes
  4: list<string> tags
  5: optional string owner
  /** Parent seed; drawn by the agent when absent. */
  6: optional i64 seed
  7: i32 repeat
  8: map<string, Exploration> params
}

// ---------------------------------------------------------------------------------------------
// Runs

enum RunStatus {
  SCHEDULED = 1
  RUNNING = 2
  SUCCESS = 3
  FAILED = 4
  KILLED = 5
}

enum NodeStatus {
  WAITING = 1
  SCHEDULED = 2
  RUNNING = 3
  SUCCESS = 4
  FAILED = 5
  LOST = 6
  KILLED = 7
  CANCELLED = 8
}

enum LogStream {
  STDOUT = 1
  STDERR = 2
}

struct ErrorInfo {
  /** An exception class name, `exit 3`, `lost`, `killed`. */
  1: string classifier
  2: string message
  /** The operator's stack, when it had one (never the agent's). */
  3: optional string stack
}

struct OpResult {
  /** One value per output port, as canonical JSON. */
  1: map<string, string> outputsJson
  2: map<string, double> metrics
}

struct NodeState {
  1: string name
  2: NodeStatus status
  3: i32 attempts
  4: optional i64 startedAtMs
  5: optional i64 completedAtMs
  6: optional string cacheKey
  7: bool cacheHit
  8: optional OpResult result
  9: optional ErrorInfo error
  10: optional string taskId
  11: optional i64 retryAtMs
}

/** How many children of a sweep parent are in one status. */
struct RunStatusCount {
  1: RunStatus status
  2: i32 count
}

struct RunState {
  1: RunStatus status
  /** Completed fraction, 0..1. */
  2: double progress
  3: optional i64 startedAtMs
  4: optional i64 completedAtMs
  5: list<NodeState> nodes
  /** Set on sweep parents only; statuses with no child are left out. */
  6: optional list<RunStatusCount> childCounts
}

struct WorkflowRef {
  1: string id
  2: string version
}

struct Run {
  1: string id
  2: WorkflowRef workflow
  3: optional string owner
  4: optional string name
  5: optional string notes
  6: list<string> tags
  7: i64 seed
  /** Every workflow param, resolved, as canonical JSON. */
  8: map<string, string> paramsJson
  9: optional string parent
  10: list<string> children
  11: i64 createdAtMs
  12: RunState state
}

struct LogLine {
  1: string runId
  2: string node
  3: LogStream stream
  4: i64 atMs
  5: string message
}

// ---------------------------------------------------------------------------------------------
// Tasks (executor side)

/** What an executor needs to run one node. */
struct OpPayload {
  1: string op
  2: string opVersion
  3: i64 seed
  /** Resolved inputs, as canonical JSON. */
  4: map<string, string> inputsJson
  5: string cacheKey
  6: Resources resources
}

/** One log line sent by an executor; the agent knows its run and node from the task. */
struct LogEntry {
  1: LogStream stream
  2: i64 atMs
  3: string message
}

struct TaskFailure {
  1: ErrorInfo error
  2: map<string, double> metrics
}

/** How a task ended: exactly one field is set. */
union TaskOutcome {
  1: OpResult success
  2: TaskFailure failure
}

// ---------------------------------------------------------------------------------------------
// Requests and responses, in the order of the service

struct GetOperatorRequest {
  1: string name
}
struct GetOperatorResponse {
  1: OperatorDef operatorDef
}

struct ListOperatorsRequest {
  /** @default false */
  1: optional bool includeDeprecated
}
struct ListOperatorsResponse {
  1: list<OperatorDef> operators
}

struct ParseWorkflowRequest {
  /** The definition's text (YAML or JSON). */
  1: string content
  /** Shown in messages, and its extension picks the format. */
  2: optional string filename
}
struct ParseWorkflowResponse {
  /** Present when there are no errors. */
  1: optional WorkflowSpec spec
  2: list<ValidationIssue> errors
  3: list<ValidationIssue> warnings
}

struct PushWorkflowRequest {
  1: WorkflowSpec spec
  2: optional string user
}
struct PushWorkflowResponse {
  1: Workflow workflow
  2: list<ValidationIssue> warnings
}

struct GetWorkflowRequest {
  1: string id
  /** The active version when absent. */
  2: optional string version
}
struct GetWorkflowResponse {
  1: Workflow workflow
}

struct ListWorkflowsRequest {
  1: optional string owner
  2: optional string name
  3: optional string q
  4: optional i32 limit
  5: optional i32 offset
}
struct ListWorkflowsResponse {
  1: list<Workflow> results
  /** Every match, not only this page's. */
  2: i64 total
}

struct ParseRunRequest {
  1: string content
  /** `param=value` overrides as typed on a command line. */
  2: map<string, string> overrides
  3: optional string filename
}
struct ParseRunResponse {
  1: optional RunSpec spec
  2: list<ValidationIssue> errors
  3: list<ValidationIssue> warnings
}

struct CreateRunRequest {
  1: RunSpec spec
  /** Who submits; the run's owner unless the spec names one. */
  2: optional string user
}
struct CreateRunResponse {
  /** Parent first, then children in expansion order; one id for a single run. */
  1: list<string> ids
  2: list<ValidationIssue> warnings
}

struct GetRunRequest {
  1: string id
}
struct GetRunResponse {
  1: Run run
}

struct ListRunsRequest {
  1: optional string owner
  2: optional string name
  3: optional string workflowId
  4: optional list<RunStatus> status
  5: optional list<string> tags
  6: optional string parent
  7: optional string q
  8: optional i32 limit
  9: optional i32 offset
}
struct ListRunsResponse {
  1: list<Run> results
  2: i64 total
}

struct KillRunRequest {
  1: string id
}
struct KillRunResponse {
  1: Run run
}

struct DeleteRunRequest {
  1: string id
}
struct DeleteRunResponse {
}

struct UpdateRunRequest {
  1: string id
  2: optional string name
  3: optional string notes
  /** Replaces every tag when present. */
  4: optional list<string> tags
}
struct UpdateRunResponse {
  1: Run run
}

struct ListLogsRequest {
  1: string runId
  2: string node
  3: optional LogStream stream
  /** Only lines strictly after this time. */
  4: optional i64 sinceMs
  5: optional i32 limit
}
struct ListLogsResponse {
  1: list<LogLine> lines
}

struct InfoRequest {
}
struct InfoResponse {
  1: string version
  /** Plugin name -> implementation type, e.g. storage -> sqlite. */
  2: map<string, string> plugins
}

struct StartTaskRequest {
  1: string taskId
  2: string token
}
struct StartTaskResponse {
  1: string runId
  2: string node
  3: OpPayload payload
  4: i64 heartbeatIntervalMs
}

struct HeartbeatRequest {
  1: string taskId
  2: string token
}
struct HeartbeatResponse {
}

struct StreamLogsRequest {
  1: string taskId
  2: string token
  3: list<LogEntry> lines
}
struct StreamLogsResponse {
}

struct CompleteTaskRequest {
  1: string taskId
  2: string token
  3: TaskOutcome outcome
}
struct CompleteTaskResponse {
}

// ---------------------------------------------------------------------------------------------

service AgentService {
  // Client calls (CLI, gateway).
  GetOperatorResponse getOperator(1: GetOperatorRequest request)
    throws (1: NotFound notFound, 2: ServerError serverError)
  ListOperatorsResponse listOperators(1: ListOperatorsRequest request)
    throws (1: ServerError serverError)
  /** Validation errors are in the response, not thrown. */
  ParseWorkflowResponse parseWorkflow(1: ParseWorkflowRequest request)
    throws (1: ServerError serverError)
  PushWorkflowResponse pushWorkflow(1: PushWorkflowRequest request)
    throws (1: InvalidDefinition invalidDefinition, 2: ServerError serverError)
  GetWorkflowResponse getWorkflow(1: GetWorkflowRequest request)
    throws (1: NotFound notFound, 2: ServerError serverError)
  ListWorkflowsResponse listWorkflows(1: ListWorkflowsRequest request)
    throws (1: ServerError serverError)
  /** Validation errors are in the response; NotFound when the named workflow does not exist. */
  ParseRunResponse parseRun(1: ParseRunRequest request)
    throws (1: NotFound notFound, 2: ServerError serverError)
  CreateRunResponse createRun(1: CreateRunRequest request)
    throws (1: InvalidDefinition invalidDefinition, 2: NotFound notFound, 3: ServerError serverError)
  GetRunResponse getRun(1: GetRunRequest request)
    throws (1: NotFound notFound, 2: ServerError serverError)
  ListRunsResponse listRuns(1: ListRunsRequest request)
    throws (1: ServerError serverError)
  KillRunResponse killRun(1: KillRunRequest request)
    throws (1: NotFound notFound, 2: ServerError serverError)
  DeleteRunResponse deleteRun(1: DeleteRunRequest request)
    throws (1: NotFound notFound, 2: ServerError serverError)
  UpdateRunResponse updateRun(1: UpdateRunRequest request)
    throws (1: InvalidDefinition invalidDefinition, 2: NotFound notFound, 3: ServerError serverError)
  ListLogsResponse listLogs(1: ListLogsRequest request)
    throws (1: NotFound notFound, 2: ServerError serverError)
  InfoResponse info(1: InfoRequest request)
    throws (1: ServerError serverError)

  // Executor calls; each checks the task's token.
  StartTaskResponse startTask(1: StartTaskRequest request)
    throws (1: InvalidTask invalidTask, 2: ServerError serverError)
  HeartbeatResponse heartbeat(1: HeartbeatRequest request)
    throws (1: InvalidTask invalidTask, 2: ServerError serverError)
  StreamLogsResponse streamLogs(1: StreamLogsRequest request)
    throws (1: InvalidTask invalidTask, 2: ServerError serverError)
  CompleteTaskResponse completeTask(1: CompleteTaskRequest request)
    throws (1: InvalidTask invalidTask, 2: ServerError serverError)
}
