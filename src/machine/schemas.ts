/**
 * The machine part's JSON schemas, as data: the machine spec, a process spec, and the control API's request
 * bodies. `npm run build` compiles them once into dist/machine/validators.js (Ajv standalone code), so that a
 * supervisor starts without loading or running Ajv's compiler; see schema.ts.
 */

/** Options every validator is compiled with: all errors at once, defaults filled in, unknown keys rejected. */
export const AJV_OPTIONS = { allErrors: true, useDefaults: true, strict: false } as const;

const name = { type: "string", minLength: 1, pattern: "^[^/\\s]+$" };
const port = { type: "integer", minimum: 0, maximum: 65535 };

const timingSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(
      [
        "heartbeatMs",
        "missedBeats",
        "handshakeTimeoutMs",
        "probeTimeoutMs",
        "retryDelayMs",
        "maxFrameBytes",
        "highWaterBytes",
        "writeStallMs",
        "requestTimeoutMs",
      ].map((k) => [k, { type: "number", minimum: 0 }]),
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
    program: {
      type: "object",
      additionalProperties: false,
      required: ["argv", "cwd"],
      properties: {
        argv: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
        cwd: { type: "string", minLength: 1 },
        env: { type: "object", additionalProperties: { type: "string" }, default: {} },
      },
    },
    readyTimeoutMs: { type: "integer", minimum: 1 },
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

/** A request body: a JSON object with exactly the given properties. */
const body = (schema: object) => ({ additionalProperties: false, ...schema, type: "object" });
const target = { service: { type: "string", minLength: 1 }, agent: { type: "string", minLength: 1 } };
const oneTarget = { oneOf: [{ required: ["service"] }, { required: ["agent"] }] };

/** Every schema by the name its validator is known under. */
export const SCHEMAS = {
  machine: machineSchema,
  process: processSchema,
  offer: body({
    required: ["name"],
    properties: {
      name: { type: "string", minLength: 1 },
      audience: { type: "string" },
      groups: { type: "array", items: { type: "string", minLength: 1 } },
    },
  }),
  workload: {
    oneOf: [
      body({
        required: ["id", "kind", "service"],
        properties: {
          id: { type: "string", minLength: 1 },
          kind: { const: "calls" },
          service: { type: "string", minLength: 1 },
          method: { type: "string", minLength: 1 },
          args: {},
          everyMs: { type: "integer", minimum: 0 },
          inFlight: { type: "integer", minimum: 1, maximum: 10_000 },
          timeoutMs: { type: "integer", minimum: 0 },
        },
        anyOf: [{ required: ["everyMs"] }, { required: ["inFlight"] }],
      }),
      body({
        required: ["id", "kind", "service", "subject", "everyMs"],
        properties: {
          id: { type: "string", minLength: 1 },
          kind: { const: "publish" },
          service: { type: "string", minLength: 1 },
          subject: { type: "string", minLength: 1 },
          everyMs: { type: "integer", minimum: 1 },
          lifetime: { type: "integer", minimum: -1 },
        },
      }),
    ],
  },
  group: body({ required: ["group"], properties: { group: { type: "string", minLength: 1 } } }),
  call: body({
    ...oneTarget,
    properties: {
      ...target,
      method: { type: "string", minLength: 1 },
      args: {},
      timeoutMs: { type: "integer", minimum: 0 },
    },
  }),
  publish: body({
    required: ["service", "subject", "content"],
    properties: {
      service: { type: "string", minLength: 1 },
      subject: { type: "string", minLength: 1 },
      content: {},
      lifetime: { type: "integer", minimum: -1 },
    },
  }),
  subscribe: body({
    ...oneTarget,
    required: ["pattern"],
    properties: { ...target, pattern: { type: "string", minLength: 1 } },
  }),
};

export type SchemaName = keyof typeof SCHEMAS;
