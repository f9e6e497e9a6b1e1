// The exchange's public door (DESIGN.md §2, reference/exchange-semantics.md §3).
export { ExchangeNode } from "./node";
export { Exchange } from "./exchange";
export { ServiceAgent } from "./agent";
export { Registry } from "./registry";
export { ExchangeError, FrameError, RequestError, ServiceFailure } from "./errors";
export type { ExchangeErrorCode, FrameErrorCode } from "./errors";
export { OutcomeCodes } from "./types";
export type * from "./types";
export type * from "./events";
