import type { ErrorObject, ValidateFunction } from "ajv";
import { BadRequestError, SpecError, messageOf } from "./errors";
import { AJV_OPTIONS, SCHEMAS, type SchemaName } from "./schemas";
import type { MachineSpec, ProcessSpec } from "./spec";

type Validators = Record<SchemaName, ValidateFunction>;

let validators: Validators | undefined;

/**
 * The validators, once per process: the code `npm run build` generated into dist/machine/validators.js when it
 * is there (no Ajv compiler at start-up: a supervisor starts ~100 ms sooner), else compiled here with Ajv from the
 * same schemas and options (running from src/ under ts-node). Both behave alike; a test compares them.
 */
export function loadValidators(): Validators {
  validators ??= precompiled() ?? compileValidators();
  return validators;
}

/** Compiles every schema with Ajv (what the build does ahead of time). */
export function compileValidators(): Validators {
  const { default: Ajv } = require("ajv") as typeof import("ajv");
  const ajv = new Ajv(AJV_OPTIONS);
  return Object.fromEntries(Object.entries(SCHEMAS).map(([k, schema]) => [k, ajv.compile(schema)])) as Validators;
}

function precompiled(): Validators | undefined {
  try {
    return require("./validators") as Validators;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && /validators/.test(messageOf(err)))
      return undefined;
    throw err;
  }
}

/** Ajv's errors as readable lines: `processes/0/endpoints/1/role must be equal to one of: server, client`. */
export function describeErrors(errors: ErrorObject[] | null | undefined, root: string): string[] {
  return (errors ?? []).map((e) => {
    const where = `${root}${e.instancePath}` || "(root)";
    if (e.keyword === "additionalProperties") return `${where}: unknown key "${String(e.params.additionalProperty)}"`;
    if (e.keyword === "enum")
      return `${where} must be one of: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    return `${where} ${e.message ?? "is invalid"}`;
  });
}

/** The semantic checks of one process that a schema cannot say. */
function processProblems(p: ProcessSpec, machine: string | undefined, where: string): string[] {
  const problems: string[] = [];
  if (machine !== undefined && p.address !== `${machine}/${p.name}`) {
    problems.push(
      `${where}/address is "${p.address}" but machine "${machine}" and name "${p.name}" make "${machine}/${p.name}"`,
    );
  }
  const groups = new Set<string>();
  p.endpoints.forEach((e, i) => {
    if (groups.has(e.group))
      problems.push(
        `${where}/endpoints/${i}: a second endpoint in exchange group "${e.group}" (at most one per group)`,
      );
    groups.add(e.group);
    if (e.role === "client" && e.listen !== undefined)
      problems.push(`${where}/endpoints/${i}: a client endpoint cannot listen (remove "listen" or make it a server)`);
  });
  const services = new Set<string>();
  p.services.forEach((s, i) => {
    if (services.has(s.name)) problems.push(`${where}/services/${i}: service "${s.name}" is declared twice`);
    services.add(s.name);
  });
  return problems;
}

function check(name: SchemaName, value: unknown, root: string): string[] {
  const validate = loadValidators()[name];
  return validate(value) ? [] : describeErrors(validate.errors, root);
}

/**
 * Validates and defaults a machine spec (mutates it to fill defaults). Throws {@link SpecError} listing every problem.
 */
export function parseMachineSpec(value: unknown, source = "machine spec"): MachineSpec {
  const problems = check("machine", value, "");
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
  const problems = check("process", value, "body");
  if (problems.length) throw new SpecError("Invalid process spec", problems);
  const more = processProblems(value as ProcessSpec, machine, "body");
  if (more.length) throw new SpecError("Invalid process spec", more);
  return value as ProcessSpec;
}

/**
 * Parses a request body against one of the control API's schemas; throws {@link BadRequestError} with every problem.
 */
export function bodyParser<T>(name: SchemaName): (body: unknown) => T {
  return (body) => {
    const validate = loadValidators()[name];
    if (!validate(body)) throw new BadRequestError("Invalid request body", describeErrors(validate.errors, "body"));
    return body as T;
  };
}
