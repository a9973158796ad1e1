/**
 * The process runtime: nodes, processes, mailboxes with selective receive, links, monitors, exit
 * signals, timers and registered names, with Erlang/OTP's semantics. See docs/runtime.md for the
 * concepts and docs/semantics.md for where JavaScript makes it differ from OTP.
 */
export type { MailboxLimit, MessageMatcher, ProcessContext, ProcessFunction, SpawnOptions } from './context.js';
export {
  awaitExit,
  cancelTimer,
  configureDefaultNode,
  defaultNode,
  exit,
  isAlive,
  processes,
  processInfo,
  readTimer,
  register,
  registered,
  run,
  send,
  sendAfter,
  spawn,
  startTimer,
  unregister,
  whereis,
} from './default-node.js';
export {
  AlreadyRegisteredError,
  BadArgError,
  BeamishError,
  ExitSignal,
  isExitSignal,
  NameInUseError,
  NodeNameInUseError,
  NodeStoppedError,
  NoProcError,
  NotAliveError,
  NotRegisteredError,
  ProcessExitedError,
  ReceiveInProgressError,
  SystemLimitError,
  UncaughtThrowError,
  UnknownNodeError,
} from './errors.js';
export { describeArgument, invalidArgument } from './invalid-argument.js';
export { DEFAULT_LIST_LIMIT, type MonitorInfo, type ProcessInfo, type ProcessStatus } from './info.js';
export {
  createStderrLogger,
  formatReport,
  silentLogger,
  stderrLogger,
  type CallbackFailedReport,
  type CrashReport,
  type Logger,
  type LogLevel,
  type MailboxLimitReport,
  type NodeReport,
  type Report,
} from './logger.js';
export { DownMessage, downOf, ExitMessage, exitFrom, TIMEOUT, TimeoutMessage, type Timeout } from './messages.js';
export { BeamishNode, createNode, DEFAULT_MAX_PROCESSES, nodeOf, parsePid, type NodeOptions, type NodeStatistics, type StopOptions } from './node.js';
export { isProcessContext, ProcessProbe } from './probe.js';
export type { SystemWatchEvent, SystemWatch } from './system-watch.js';
export { Pid, type NodeIdentity } from './pid.js';
export { formatTerm, isNormalExit, isShutdown, type ExitReason } from './reasons.js';
export { Ref } from './ref.js';
export type { NodeState } from './internal/kernel.js';
