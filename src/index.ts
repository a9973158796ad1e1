/**
 * Beamish: the Erlang/OTP process model and the Erlang operator's medic kit, for TypeScript on
 * Node.js. This entry re-exports every public part; see the README for a tour.
 */
export * from './runtime/index.js';
export * from './otp/index.js';
export * from './resources/index.js';
export * as medic from './medic/index.js';
export {
  AccessNameInUseError,
  AttachProtocolError,
  AuthenticationError,
  listNodes,
  startOperatorAccess,
  UnknownAccessNodeError,
  UnsafeCookieFileError,
  UnsafeRuntimeDirError,
  type ListedNode,
  type OperatorAccess,
  type OperatorAccessOptions,
  type OperatorAccessReport,
  type OutputLimits,
} from './shell/index.js';
