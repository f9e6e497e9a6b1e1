import type { BindingView, RegistryNotice, RegistrySubscription } from "./types";

const notYet = (): never => {
  throw new Error("not implemented yet");
};

/** The process's view of every binding it can see (S-25). */
export class Registry {
  lookupByName(_name: string): BindingView[] { return notYet(); }
  lookupByAgent(_agentId: string): BindingView | undefined { return notYet(); }
  lookupGroup(_group: string): BindingView[] { return notYet(); }
  all(): BindingView[] { return notYet(); }
  subscribeAll(_cb: (n: RegistryNotice) => void, _opts?: { location?: "local" | "remote" }): RegistrySubscription { return notYet(); }
  subscribeName(_name: string, _cb: (n: RegistryNotice) => void): RegistrySubscription { return notYet(); }
  subscribeAgent(_agentId: string, _cb: (n: RegistryNotice) => void, _tag?: string): RegistrySubscription & { status: "AVAILABLE" | "WITHDRAWN" } { return notYet(); }
  subscribeGroup(_group: string, _cb: (n: RegistryNotice) => void): RegistrySubscription { return notYet(); }
}
