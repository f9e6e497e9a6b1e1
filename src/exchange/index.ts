// The exchange's public door (DESIGN.md §2, reference/exchange-semantics.md §3).
export { ExchangeNode, resolveTiming } from "./node";
export { Exchange } from "./exchange";
export { ServiceAgent, AGENT_ID_SHAPE } from "./agent";
export { Registry } from "./registry";
export { matchSubject } from "./glob";
export { ExchangeError, FrameError, RequestError, ServiceFailure } from "./errors";
export type { ExchangeErrorCode, FrameErrorCode } from "./errors";
export { CLIENT_BAD_REQUEST } from "./requests";
export { OutcomeCodes } from "./types";
export type * from "./types";
export type * from "./events";
