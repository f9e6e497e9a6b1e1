// The user's project: scaffolding it for the lab (`exlab init`).
export { scaffold } from "./scaffold";
