/**
 * The operator's access to a live node: `startOperatorAccess` opens it (a Unix socket, loopback TCP
 * with a cookie), and the clients behind `beamish attach` and `beamish top` use it. See
 * docs/attach.md.
 */
export { startOperatorAccess, type OperatorAccess, type OperatorAccessReport } from './operator-access.js';
export type { OperatorAccessOptions } from './access-options.js';
export { DEFAULT_OUTPUT_LIMITS, formatBounded, type OutputLimits } from './bounded-output.js';
export { attach } from './attach-client.js';
export { top, topKey, type TopOptions } from './top-client.js';
export { renderTop, formatBytes, TOP_KEYS } from './top-render.js';
export { connectOperator, type AttachTarget, type OperatorConnection } from './client.js';
export { listNodes, type ListedNode } from './node-list.js';
export { defaultRuntimeDir, socketPathOf } from './runtime-dir.js';
export { defaultCookieFile, readCookieFile } from './cookie.js';
export { processIO, type ClientIO } from './terminal.js';
export type { MedicFactory, TopFrame, TopFrameSource, TopRow, TopSort, TopSourceFactory } from './medic.js';
export type { SessionGrant, SessionRequest } from './protocol.js';
export type { TopSettingsView, WireTopFrame, WireTopRow } from './top-wire.js';
export {
  AccessNameInUseError,
  AttachProtocolError,
  AuthenticationError,
  UnknownAccessNodeError,
  UnsafeCookieFileError,
  UnsafeRuntimeDirError,
} from './errors.js';
