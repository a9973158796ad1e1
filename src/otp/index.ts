/**
 * OTP's behaviours on Beamish's processes: GenServer, Supervisor, DynamicSupervisor, Task,
 * GenStatem, GenEvent, Application and sys. Built only on the runtime's public surface.
 */
export * as GenServer from './gen-server.js';
export * as Task from './task.js';
export { TaskAlreadyAwaitedError, TaskExitError, TaskOwnerError, TaskTimeoutError } from './internal/task-errors.js';
export * as GenStatem from './gen-statem.js';
export { BadActionError, UnknownStateError } from './gen-statem.js';
export type { GenStatemSpec, HandleEventFunctionSpec, StateFunctionsSpec, StateResult, StatemEvent, StatemStatus, StatemTerminatedReport } from './gen-statem.js';
export * as GenEvent from './gen-event.js';
export { HandlerCrashedError, HandlerInitError, HandlerNotInstalledError } from './gen-event-errors.js';
export type { EventHandler, HandlerCrashedReport, HandlerRef, HandlerUnexpectedMessageReport } from './gen-event.js';
export * as Supervisor from './supervisor.js';
export * as DynamicSupervisor from './dynamic-supervisor.js';
export * as Application from './application.js';
export * as sys from './sys.js';
export { From, reply, type CallOptions } from './call.js';
export {
  AlreadyStartedError,
  ApplicationStartError,
  BadReturnValueError,
  CallExitError,
  CallTimeoutError,
  ChildNotFoundError,
  ChildStartError,
  ChildStateError,
  MaxChildrenError,
  NotASupervisorError,
  NotStartedError,
  SignificantChildError,
  InitExitedError,
  InitFailedError,
  InitTimeoutError,
  StartError,
  UnknownApplicationError,
} from './errors.js';
export { createRegistry } from './registry.js';
export type { ChildCounts, ChildInfo, ChildSpec, ChildStart, RestartType, Shutdown } from './child-spec.js';
export type { AutoShutdown, Strategy, SupervisorKind, SupervisorOptions } from './supervisor.js';
export type { ApplicationSpec, NodeOption, StartType } from './application.js';
export type { DynamicChildSpec, DynamicSupervisorOptions } from './dynamic-supervisor.js';
export type { BehaviourTerminatedReport, ProgressReport, SupervisorReport, UnexpectedMessageReport } from './reports.js';
export type { NodeName, Registry, ServerName, ServerRef, ViaName } from './server-ref.js';
export type { StartOptions, StartResult } from './start.js';
export type { SystemEvent, SystemStatistics, SystemStatus } from './internal/system.js';
export type { CallResult, GenServerSpec, InitResult, NoReplyResult, ResultOptions, Status } from './gen-server.js';
