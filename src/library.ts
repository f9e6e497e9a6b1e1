// The exchange library on its own (`import { … } from "exchange-lab/exchange"`): what a program on the exchange
// needs, and only that, so it loads without the lab's dependencies (a machine's container image carries just these).
export * from "./exchange";
export { startExchangeNode, ProgramConfigError, type ProgramConfig, type ProgramEndpoint } from "./machine";
