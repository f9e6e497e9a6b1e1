// The user's project: where a run finds its features, topologies, steps and configuration, and scaffolding it
// for the lab (`exlab init`).
export { projectLayout, type ProjectLayout } from "./layout";
export { scaffold } from "./scaffold";
