import { driverNames, type DriverName } from "./registry";

/**
 * The cucumber tag expression that keeps a run on one driver: a scenario tagged `@<name>` of another registered
 * driver is filtered out (not run, not reported pending); untagged ones run on every driver. The user's own tag
 * expression, if any, is and-ed in. Used by `exlab run` and by cucumber.js (the `npx cucumber-js` profile).
 */
export function driverTagExpression(driver: DriverName, userTags?: string): string {
  const others = driverNames()
    .filter((n) => n !== driver)
    .map((n) => `not @${n}`)
    .join(" and ");
  const user = userTags?.trim() ? userTags : undefined;
  if (!others) return user ?? "";
  return user ? `(${user}) and ${others}` : others;
}
