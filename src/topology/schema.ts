/**
 * The structural schema of a topology file (JSON Schema draft-07, checked with ajv). It is also the
 * reference documentation of the format: every key carries a description and its default. Names,
 * groups, `connect` targets and ports across entries are checked afterwards (semantic checks), so that
 * those errors can name what exists.
 */

const duration = (what: string, def: string) => ({
  type: "string",
  format: "duration",
  default: def,
  description: `${what}. A number and a unit: 200ms, 1s, 1.5 s, 2 minutes.`,
});

const port = (what: string) => ({ type: "integer", minimum: 1, maximum: 65535, description: what });

const description = { type: "string", description: "Free text shown by `exlab validate` and in reports." };

const connect = {
  type: ["string", "array"],
  minLength: 1,
  items: { type: "string", minLength: 1 },
  description:
    "What to dial: a machine (`beta`: its server of the same group) or a process address (`beta/frontend`: a " +
    "process with a server endpoint of the group). One entry or a list.",
};

const groupText = 'Exchange group: "" (the default group) or a name of lowercase letters, digits and "-".';
const group = { type: "string", default: "", description: groupText };

const service = {
  title: "service",
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1, description: "Service name." },
    audience: {
      type: "string",
      default: "*",
      description: 'Who may see it: "*" everyone, "" this process only, or an exchange group name (S-17).',
    },
    groups: {
      type: "array",
      items: { type: "string", minLength: 1 },
      default: [],
      description: "Service groups it joins at start (S-29).",
    },
    description,
  },
};

const services = { type: "array", items: service, default: [], description: "Service agents the process offers." };

const server = {
  title: "server",
  type: "object",
  additionalProperties: false,
  required: ["port"],
  properties: {
    port: port("Port the server listens on, on its machine's own address."),
    group,
    name: {
      type: "string",
      description: 'Process name. Default: "exchange" for group "", "exchange-<group>" otherwise.',
    },
    connect: { ...connect, description: `Other servers of the same group to dial. ${connect.description}` },
    description,
  },
};

const endpoint = {
  title: "exchanges entry",
  type: "object",
  additionalProperties: false,
  required: ["group"],
  properties: {
    group: { type: "string", description: groupText },
    listen: port("Makes this a server endpoint listening on this port."),
    connect: {
      ...connect,
      description:
        `Client endpoint: the server to join (default: its own machine's server of the group). Server ` +
        `endpoint: other servers to dial. ${connect.description}`,
    },
    description,
  },
};

const process = {
  title: "process",
  type: ["object", "null"],
  additionalProperties: false,
  // `cwd`, `env` and `readyTimeout` only mean something for a process that runs a program of its own.
  dependencies: { cwd: ["run"], env: ["run"], readyTimeout: ["run"] },
  properties: {
    description,
    group: { ...group, description: `${group.description} The process is a client of a server of this group.` },
    connect: {
      ...connect,
      description: `The server to join (default: its own machine's server of the group). ${connect.description}`,
    },
    exchanges: {
      type: "array",
      minItems: 1,
      items: endpoint,
      description:
        "Several endpoints, one per group, instead of `group`/`connect`: the process bridges them (S-27). " +
        "`{ group, connect? }` is a client endpoint, `{ group, listen, connect? }` a server endpoint.",
    },
    services,
    run: {
      type: ["string", "array"],
      minLength: 1,
      minItems: 1,
      items: { type: "string", minLength: 1 },
      description:
        "A program of yours to run instead of the lab's generic host: a command line " +
        "(`node services/orders.js`, split like a shell would, but run without one) or a list of arguments. " +
        "Default: none.",
    },
    cwd: {
      type: "string",
      minLength: 1,
      default: ".",
      description:
        "Working directory of `run`, relative to the project directory, written with `/`; it may not leave " +
        "the project directory. Only with `run`.",
    },
    env: {
      type: "object",
      additionalProperties: {
        type: ["string", "number", "boolean"],
        description: "The variable's value: text, a number or true/false, passed as text.",
      },
      default: {},
      description:
        "Environment variables added for `run`: names of letters, digits and `_` (not starting with a digit " +
        "or `EXLAB_`, which the lab reserves); text, number or true/false values, passed as text. Only with `run`.",
    },
    readyTimeout: duration("How long `run` may take to become ready. Only with `run`", "15s"),
  },
};

const machine = {
  title: "machine",
  type: ["object", "null"],
  additionalProperties: false,
  properties: {
    description,
    servers: {
      type: "array",
      items: server,
      default: [],
      description: "Processes whose only job is an exchange server: `{ port, group?, name?, connect? }`.",
    },
    processes: {
      type: ["object", "null"],
      additionalProperties: process,
      default: {},
      description: "Processes by name (lowercase letters, digits, '-', starting with a letter).",
    },
  },
};

/** The JSON Schema of a topology file. */
export const topologySchema = {
  $id: "https://exchange-lab.local/schemas/topology.json",
  title: "topology",
  type: "object",
  additionalProperties: false,
  patternProperties: {
    "^x-": {
      description: "Ignored: room for YAML anchors shared by entries below (`x-server: &srv { port: 11111 }`).",
    },
  },
  required: ["machines"],
  properties: {
    name: { type: "string", minLength: 1, description: "Topology name. Default: the file's base name." },
    description,
    timing: {
      title: "timing",
      type: "object",
      additionalProperties: false,
      default: {},
      description: "Timing of every exchange in the topology (exchange-semantics §3.13).",
      properties: {
        heartbeat: duration("Send a PING after this long without sending (S-13)", "2s"),
        missedBeats: {
          type: "integer",
          minimum: 1,
          default: 3,
          description: "Close a link after this many heartbeats without receiving anything (S-14).",
        },
        retryDelay: duration("Delay between dial attempts, ±10% jitter (S-12)", "5s"),
        handshakeTimeout: duration("Deadline of the HELLO/WELCOME handshake (S-9)", "5s"),
        requestTimeout: duration("Default deadline of a request (S-31)", "30s"),
      },
    },
    mesh: {
      type: "string",
      enum: ["full", "none"],
      default: "none",
      description:
        '"full": every server dials every other server of its group that it is not already linked with, ' +
        'exactly once (the later one in declaration order dials the earlier). "none": only `connect` entries.',
    },
    machines: {
      type: "object",
      minProperties: 1,
      additionalProperties: machine,
      description: "Machines by name (lowercase letters, digits, '-', starting with a letter), in order.",
    },
  },
} as const;

/** A topology file as the schema admits it (before defaults). */
export interface RawTopology {
  name?: string;
  description?: string;
  timing?: {
    heartbeat?: string;
    missedBeats?: number;
    retryDelay?: string;
    handshakeTimeout?: string;
    requestTimeout?: string;
  };
  mesh?: "full" | "none";
  machines: Record<string, RawMachine | null>;
}

export interface RawMachine {
  description?: string;
  servers?: RawServer[];
  processes?: Record<string, RawProcess | null> | null;
}

export interface RawServer {
  port: number;
  group?: string;
  name?: string;
  connect?: string | string[];
  description?: string;
}

export interface RawProcess {
  description?: string;
  group?: string;
  connect?: string | string[];
  exchanges?: RawEndpoint[];
  services?: RawService[];
  run?: string | string[];
  cwd?: string;
  env?: Record<string, string | number | boolean>;
  readyTimeout?: string;
}

export interface RawEndpoint {
  group: string;
  listen?: number;
  connect?: string | string[];
  description?: string;
}

export interface RawService {
  name: string;
  audience?: string;
  groups?: string[];
  description?: string;
}
