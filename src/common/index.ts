// What every part of the lab may use: coded errors and the one waiting primitive.
export { CodedError, UnknownNameError, messageOf } from "./errors";
export {
  pollUntil,
  holdFor,
  ok,
  notYet,
  formatMs,
  systemClock,
  WaitTimeoutError,
  HoldBrokenError,
  type Look,
  type Clock,
} from "./wait";
export { containsJson, parseJsonArgument } from "./json";
