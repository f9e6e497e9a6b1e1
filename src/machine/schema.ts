import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { BadRequestError, SpecError } from "./errors";
import type { MachineSpec, ProcessSpec } from "./spec";

const name = { type: "string", minLength: 1, pattern: "^[^/\\s]+$" };
const port = { type: "integer", minimum: 0, maximum: 65535 };

const timingSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(
      ["heartbeatMs", "missedBeats", "handshakeTimeoutMs", "probeTimeoutMs", "retryDelayMs", "maxFrameBytes", "highWaterBytes", "writeStallMs", "requestTimeoutMs"].map(
        (k) => [k, { type: "number", minimum: 0 }],
      ),
    ),
    jitter: { type: "number", minimum: 0, maximum: 1 },
  },
};

const serviceSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1 },
    audience: { type: "string", default: "*" },
    groups: { type: "array", items: { type: "string", minLength: 1 }, default: [] },
  },
};

const processSchema = {
  type: "object",
  additionalProperties: false,
  required: ["address", "name", "kind", "nodeName", "endpoints"],
  properties: {
    address: { type: "string", minLength: 3 },
    name,
    kind: { enum: ["server", "process"] },
    nodeName: { type: "string", minLength: 1 },
    endpoints: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["group", "role"],
        properties: {
          group: { type: "string" },
          role: { enum: ["server", "client"] },
          listen: port,
          connect: {
            type: "array",
            default: [],
            items: {
              type: "object",
              additionalProperties: false,
              required: ["host", "port"],
              properties: {
                host: { type: "string", minLength: 1 },
                port: { type: "integer", minimum: 1, maximum: 65535 },
                delayMs: { type: "number" },
                target: { type: "string" },
              },
            },
          },
        },
      },
    },
    services: { type: "array", items: serviceSchema, default: [] },
  },
};

const machineSchema = {
  type: "object",
  additionalProperties: false,
  required: ["machine", "bindHost", "controlPort", "runDir", "processes"],
  properties: {
    machine: name,
    bindHost: { type: "string", minLength: 1 },
    controlPort: port,
    runDir: { type: "string", minLength: 1 },
    timing: { ...timingSchema, default: {} },
    processes: { type: "array", items: processSchema },
  },
};

/** One Ajv for the part: all errors at once, defaults filled in, unknown keys rejected. */
export const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });

const validateMachine = ajv.compile<MachineSpec>(machineSchema);
const validateProcess = ajv.compile<ProcessSpec>(processSchema);

/** Ajv's errors as readable lines: `processes/0/endpoints/1/role must be equal to one of: server, client`. */
export function describeErrors(errors: ErrorObject[] | null | undefined, root: string): string[] {
  return (errors ?? []).map((e) => {
    const where = `${root}${e.instancePath}` || "(root)";
    if (e.keyword === "additionalProperties") return `${where}: unknown key "${String(e.params.additionalProperty)}"`;
    if (e.keyword === "enum") return `${where} must be one of: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    return `${where} ${e.message ?? "is invalid"}`;
  });
}

/** The semantic checks of one process that a schema cannot say. */
function processProblems(p: ProcessSpec, machine: string | undefined, where: string): string[] {
  const problems: string[] = [];
  if (machine !== undefined && p.address !== `${machine}/${p.name}`) {
    problems.push(`${where}/address is "${p.address}" but machine "${machine}" and name "${p.name}" make "${machine}/${p.name}"`);
  }
  const groups = new Set<string>();
  p.endpoints.forEach((e, i) => {
    if (groups.has(e.group)) problems.push(`${where}/endpoints/${i}: a second endpoint in exchange group "${e.group}" (at most one per group)`);
    groups.add(e.group);
    if (e.role === "client" && e.listen !== undefined) problems.push(`${where}/endpoints/${i}: a client endpoint cannot listen (remove "listen" or make it a server)`);
  });
  const services = new Set<string>();
  p.services.forEach((s, i) => {
    if (services.has(s.name)) problems.push(`${where}/services/${i}: service "${s.name}" is declared twice`);
    services.add(s.name);
  });
  return problems;
}

function check<T>(validate: ValidateFunction<T>, value: unknown, root: string): string[] {
  return validate(value) ? [] : describeErrors(validate.errors, root);
}

/** Validates and defaults a machine spec (mutates it to fill defaults). Throws {@link SpecError} listing every problem. */
export function parseMachineSpec(value: unknown, source = "machine spec"): MachineSpec {
  const problems = check(validateMachine, value, "");
  if (problems.length) throw new SpecError(`Invalid ${source}`, problems);
  const spec = value as MachineSpec;
  const names = new Set<string>();
  spec.processes.forEach((p, i) => {
    if (names.has(p.name)) problems.push(`/processes/${i}/name: process "${p.name}" is declared twice`);
    names.add(p.name);
    problems.push(...processProblems(p, spec.machine, `/processes/${i}`));
  });
  if (problems.length) throw new SpecError(`Invalid ${source}`, problems);
  return spec;
}

/** Validates and defaults a process spec added at run time to `machine`. Throws {@link SpecError}. */
export function parseProcessSpec(value: unknown, machine: string): ProcessSpec {
  const problems = check(validateProcess, value, "body");
  if (problems.length) throw new SpecError("Invalid process spec", problems);
  const more = processProblems(value as ProcessSpec, machine, "body");
  if (more.length) throw new SpecError("Invalid process spec", more);
  return value as ProcessSpec;
}

/** Compiles a request-body schema into a parser that throws {@link BadRequestError} with every problem. */
export function bodyParser<T>(schema: object): (body: unknown) => T {
  const validate = ajv.compile<T>({ additionalProperties: false, ...schema, type: "object" });
  return (body) => {
    if (!validate(body)) throw new BadRequestError("Invalid request body", describeErrors(validate.errors, "body"));
    return body;
  };
}
