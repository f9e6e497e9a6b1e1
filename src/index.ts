// The package's public door: the exchange library, usable on its own (`import { ExchangeNode } from "exchange-lab"`),
// and the topology loader. The lab's API is added when it lands.
export * from "./exchange";
export * as topology from "./topology";
